import type moment from 'moment';

declare function loadMoment(): typeof moment;
export = loadMoment;
