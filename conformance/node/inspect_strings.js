console.log(['it\'s', 'say "hi"', 'both \' "', 'line\nbreak']);
