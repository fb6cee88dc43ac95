console.log(new Number(3), new String('ab'), new Boolean(false));
