console.count(); console.count(); console.count('x'); console.countReset(); console.count();
