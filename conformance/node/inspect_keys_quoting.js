console.log({ 'a-b': 1, valid_id: 2, '3x': 3, 'with space': 4 });
