console.log(-0, 0, 1e21, 1.5, NaN, -Infinity, 10n, [ -0 ]);
