// TODO
'use strict';
