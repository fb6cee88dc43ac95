null.prop;
