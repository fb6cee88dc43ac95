console.log(['aaaaaaaaaaaa', 'bbbbbbbbbbbbb', 'cccccccccccccc', 'dddddddddddd', 'eeeeeeeeee', 'ffffffffff', 'gggggggggg', 'hhhhhhh']);
