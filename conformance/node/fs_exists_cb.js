require('fs').exists('/tmp', (e) => console.log('exists', e));
