console.log('2024-01-05'.match(/(?<y>\d+)-(?<m>\d+)/).groups, 'aaa'.replaceAll('a', 'b'), [...'a1b2'.matchAll(/\d/g)].map((m) => m[0]), /(?<=\$)\d+/.exec('cost $42')[0]);
