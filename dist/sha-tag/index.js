/******/ (() => { // webpackBootstrap
/******/ 	var __webpack_modules__ = ({

/***/ 637:
/***/ (function(module, __unused_webpack_exports, __nccwpck_require__) {

/* module decorator */ module = __nccwpck_require__.nmd(module);
//! moment.js
//! version : 2.31.0
//! authors : Tim Wood, Iskren Chernev, Moment.js contributors
//! license : MIT
//! momentjs.com
((e,t)=>{ true?module.exports=t():0})(this,function(){var U;function y(){return U.apply(null,arguments)}function g(e){return e instanceof Array||"[object Array]"===Object.prototype.toString.call(e)}function F(e){return null!=e&&"[object Object]"===Object.prototype.toString.call(e)}function c(e,t){return Object.prototype.hasOwnProperty.call(e,t)}function L(e){if(Object.getOwnPropertyNames)return 0===Object.getOwnPropertyNames(e).length;for(var t in e)if(c(e,t))return;return 1}function w(e){return void 0===e}function p(e){return"number"==typeof e||"[object Number]"===Object.prototype.toString.call(e)}function V(e){return e instanceof Date||"[object Date]"===Object.prototype.toString.call(e)}function G(e,t){for(var n=[],s=e.length,i=0;i<s;++i)n.push(t(e[i],i));return n}function k(e,t){for(var n in t)c(t,n)&&(e[n]=t[n]);return c(t,"toString")&&(e.toString=t.toString),c(t,"valueOf")&&(e.valueOf=t.valueOf),e}function l(e,t,n,s){return Lt(e,t,n,s,!0).utc()}function M(e){return null==e._pf&&(e._pf={empty:!1,unusedTokens:[],unusedInput:[],overflow:-2,charsLeftOver:0,nullInput:!1,invalidEra:null,invalidMonth:null,invalidOffset:null,invalidFormat:!1,userInvalidated:!1,iso:!1,parsedDateParts:[],era:null,meridiem:null,rfc2822:!1,weekdayMismatch:!1}),e._pf}function E(e){var t,n,s=e._d&&!isNaN(e._d.getTime());return s&&(t=M(e),n=I.call(t.parsedDateParts,function(e){return null!=e}),s=t.overflow<0&&!t.empty&&!t.invalidEra&&!t.invalidMonth&&!t.invalidOffset&&!t.invalidWeekday&&!t.weekdayMismatch&&!t.nullInput&&!t.invalidFormat&&!t.userInvalidated&&(!t.meridiem||(t.meridiem,n)),e._strict)&&(s=s&&0===t.charsLeftOver&&0===t.unusedTokens.length&&void 0===t.bigHour),null!=Object.isFrozen&&Object.isFrozen(e)?s:(e._isValid=s,e._isValid)}function A(e){var t=l(NaN);return null!=e?k(M(t),e):M(t).userInvalidated=!0,t}var I=Array.prototype.some||function(e){for(var t=Object(this),n=t.length>>>0,s=0;s<n;s++)if(s in t&&e.call(this,t[s],s,t))return!0;return!1},j=y.momentProperties=[],z=!1;function Z(e,t){var n,s,i,r=j.length;if(w(t._isAMomentObject)||(e._isAMomentObject=t._isAMomentObject),w(t._i)||(e._i=t._i),w(t._f)||(e._f=t._f),w(t._l)||(e._l=t._l),w(t._strict)||(e._strict=t._strict),w(t._tzm)||(e._tzm=t._tzm),w(t._isUTC)||(e._isUTC=t._isUTC),w(t._offset)||(e._offset=t._offset),w(t._pf)||(e._pf=M(t)),w(t._locale)||(e._locale=t._locale),0<r)for(n=0;n<r;n++)w(i=t[s=j[n]])||(e[s]=i);return e}function $(e){Z(this,e),this._d=new Date(null!=e._d?e._d.getTime():NaN),this.isValid()||(this._d=new Date(NaN)),!1===z&&(z=!0,y.updateOffset(this),z=!1)}function D(e){return e instanceof $||null!=e&&null!=e._isAMomentObject}function q(e){!1===y.suppressDeprecationWarnings&&"undefined"!=typeof console&&console.warn&&console.warn("Deprecation warning: "+e)}function e(r,a){var o=!0;return k(function(){if(null!=y.deprecationHandler&&y.deprecationHandler(null,r),o){for(var e,t,n=[],s=arguments.length,i=0;i<s;i++){if(e="","object"==typeof arguments[i]){for(t in e+="\n["+i+"] ",arguments[0])c(arguments[0],t)&&(e+=t+": "+arguments[0][t]+", ");e=e.slice(0,-2)}else e=arguments[i];n.push(e)}q(r+"\nArguments: "+Array.prototype.slice.call(n).join("")+"\n"+(new Error).stack),o=!1}return a.apply(this,arguments)},a)}var B={};function J(e,t){null!=y.deprecationHandler&&y.deprecationHandler(e,t),B[e]||(q(t+"\n"+(new Error).stack),B[e]=!0)}function h(e){return"undefined"!=typeof Function&&e instanceof Function||"[object Function]"===Object.prototype.toString.call(e)}y.suppressDeprecationWarnings=!1,y.deprecationHandler=null;var Q={D:"date",dates:"date",date:"date",d:"day",days:"day",day:"day",e:"weekday",weekdays:"weekday",weekday:"weekday",E:"isoWeekday",isoweekdays:"isoWeekday",isoweekday:"isoWeekday",DDD:"dayOfYear",dayofyears:"dayOfYear",dayofyear:"dayOfYear",h:"hour",hours:"hour",hour:"hour",ms:"millisecond",milliseconds:"millisecond",millisecond:"millisecond",m:"minute",minutes:"minute",minute:"minute",M:"month",months:"month",month:"month",Q:"quarter",quarters:"quarter",quarter:"quarter",s:"second",seconds:"second",second:"second",gg:"weekYear",weekyears:"weekYear",weekyear:"weekYear",GG:"isoWeekYear",isoweekyears:"isoWeekYear",isoweekyear:"isoWeekYear",w:"week",weeks:"week",week:"week",W:"isoWeek",isoweeks:"isoWeek",isoweek:"isoWeek",y:"year",years:"year",year:"year"};function a(e){return"string"==typeof e?Q[e]||Q[e.toLowerCase()]:void 0}function X(e){var t,n,s={};for(n in e)c(e,n)&&(t=a(n))&&(s[t]=e[n]);return s}var K={date:9,day:11,weekday:11,isoWeekday:11,dayOfYear:4,hour:13,millisecond:16,minute:14,month:8,quarter:7,second:15,weekYear:1,isoWeekYear:1,week:5,isoWeek:5,year:1};function r(e,t,n){var s=""+Math.abs(e);return(0<=e?n?"+":"":"-")+Math.pow(10,Math.max(0,t-s.length)).toString().substr(1)+s}var ee=/(\[[^\[]*\])|(\\e)|(\\)?(eHHmm|[Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|.)/g,te=/(\[[^\[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})/g,ne={},se={};function s(e,t,n,s){var i="string"==typeof s?function(){return this[s]()}:s;e&&(se[e]=i),t&&(se[t[0]]=function(){return r(i.apply(this,arguments),t[1],t[2])}),n&&(se[n]=function(){return this.localeData().ordinal(i.apply(this,arguments),e)})}function ie(e,t){var n;return e.isValid()?(n="$"+(t=re(t,e.localeData())),c(ne,n)||(ne[n]=(s=>{for(var e,i=s.match(ee),t=0,r=i.length;t<r;t++)se[i[t]]?i[t]=se[i[t]]:i[t]=(e=i[t]).match(/\[[\s\S]/)?e.replace(/^\[|\]$/g,""):e.replace(/\\/g,"");return function(e){for(var t="",n=0;n<r;n++)t+=h(i[n])?i[n].call(e,s):i[n];return t}})(t)),ne[n](e)):e.localeData().invalidDate()}function re(e,t){var n=5;function s(e){return t.longDateFormat(e)||e}for(te.lastIndex=0;0<=n&&te.test(e);)e=e.replace(te,s),te.lastIndex=0,--n;return e}var ae=/\d/,t=/\d\d/,oe=/\d{3}/,ue=/\d{4}/,le=/[+-]?\d{6}/,n=/\d\d?/,de=/\d\d\d\d?/,he=/\d\d\d\d\d\d?/,ce=/\d{1,3}/,fe=/\d{1,4}/,me=/[+-]?\d{1,6}/,_e=/\d+/,ye=/[+-]?\d+/,ge=/Z|[+-]\d\d:?\d\d/gi,we=/Z|[+-]\d\d(?::?\d\d)?/gi,i=/[0-9]{0,256}['a-z\u00A0-\u05FF\u0700-\uD7FF\uF900-\uFDCF\uFDF0-\uFF07\uFF10-\uFFEF]{1,256}|[\u0600-\u06FF\/]{1,256}(\s*?[\u0600-\u06FF]{1,256}){1,2}/i,o=/^[1-9]\d?/,u=/^([1-9]\d|\d)/;function d(e,n,s){ke[e]=h(n)?n:function(e,t){return e&&s?s:n}}function pe(e,t){return c(ke,e)?ke[e](t._strict,t._locale):new RegExp(f(e.replace("\\","").replace(/\\(\[)|\\(\])|\[([^\]\[]*)\]|\\(.)/g,function(e,t,n,s,i){return t||n||s||i})))}function f(e){return e.replace(/[-\/\\^$*+?.()|[\]{}]/g,"\\$&")}function m(e){return e<0?Math.ceil(e)||0:Math.floor(e)}function _(e){var e=+e,t=0;return t=0!=e&&isFinite(e)?m(e):t}var ke={},Me={};function v(e,n){var t,s,i=n;for("string"==typeof e&&(e=[e]),p(n)&&(i=function(e,t){t[n]=_(e)}),s=e.length,t=0;t<s;t++)Me[e[t]]=i}function De(e,i){v(e,function(e,t,n,s){n._w=n._w||{},i(e,n._w,n,s)})}function ve(e){return e%4==0&&e%100!=0||e%400==0}var S=0,Y=1,O=2,b=3,x=4,T=5,Se=6,Ye=7,Oe=8;function be(e){return ve(e)?366:365}s("Y",0,0,function(){var e=this.year();return e<=9999?r(e,4):"+"+e}),s(0,["YY",2],0,function(){return this.year()%100}),s(0,["YYYY",4],0,"year"),s(0,["YYYYY",5],0,"year"),s(0,["YYYYYY",6,!0],0,"year"),d("Y",ye),d("YY",n,t),d("YYYY",fe,ue),d("YYYYY",me,le),d("YYYYYY",me,le),v(["YYYYY","YYYYYY"],S),v("YYYY",function(e,t){t[S]=2===e.length?y.parseTwoDigitYear(e):_(e)}),v("YY",function(e,t){t[S]=y.parseTwoDigitYear(e)}),v("Y",function(e,t){t[S]=parseInt(e,10)}),y.parseTwoDigitYear=function(e){return _(e)+(68<_(e)?1900:2e3)};var N,xe=Te("FullYear",!0);function Te(t,n){return function(e){return null!=e?(Pe(this,t,e),y.updateOffset(this,n),this):Ne(this,t)}}function Ne(e,t){if(!e.isValid())return NaN;var n=e._d,s=e._isUTC;switch(t){case"Milliseconds":return s?n.getUTCMilliseconds():n.getMilliseconds();case"Seconds":return s?n.getUTCSeconds():n.getSeconds();case"Minutes":return s?n.getUTCMinutes():n.getMinutes();case"Hours":return s?n.getUTCHours():n.getHours();case"Date":return s?n.getUTCDate():n.getDate();case"Day":return s?n.getUTCDay():n.getDay();case"Month":return s?n.getUTCMonth():n.getMonth();case"FullYear":return s?n.getUTCFullYear():n.getFullYear();default:return NaN}}function Pe(e,t,n){var s,i,r;if(e.isValid()&&!isNaN(n)){switch(s=e._d,i=e._isUTC,t){case"Milliseconds":return i?s.setUTCMilliseconds(n):s.setMilliseconds(n);case"Seconds":return i?s.setUTCSeconds(n):s.setSeconds(n);case"Minutes":return i?s.setUTCMinutes(n):s.setMinutes(n);case"Hours":return i?s.setUTCHours(n):s.setHours(n);case"Date":return i?s.setUTCDate(n):s.setDate(n);case"FullYear":break;default:return}t=n,r=e.month(),e=29!==(e=e.date())||1!==r||ve(t)?e:28,i?s.setUTCFullYear(t,r,e):s.setFullYear(t,r,e)}}function We(e,t){var n;return isNaN(e)||isNaN(t)?NaN:(n=(t%(n=12)+n)%n,e+=(t-n)/12,1==n?ve(e)?29:28:31-n%7%2)}N=Array.prototype.indexOf||function(e){for(var t=0;t<this.length;++t)if(this[t]===e)return t;return-1},s("M",["MM",2],"Mo",function(){return this.month()+1}),s("MMM",0,0,function(e){return this.localeData().monthsShort(this,e)}),s("MMMM",0,0,function(e){return this.localeData().months(this,e)}),d("M",n,o),d("MM",n,t),d("MMM",function(e,t){return t.monthsShortRegex(e)}),d("MMMM",function(e,t){return t.monthsRegex(e)}),v(["M","MM"],function(e,t){t[Y]=_(e)-1}),v(["MMM","MMMM"],function(e,t,n,s){s=n._locale.monthsParse(e,s,n._strict);null!=s?t[Y]=s:M(n).invalidMonth=e});var Re="January_February_March_April_May_June_July_August_September_October_November_December".split("_"),Ce="Jan_Feb_Mar_Apr_May_Jun_Jul_Aug_Sep_Oct_Nov_Dec".split("_"),He=/D[oD]?(\[[^\[\]]*\]|\s)+MMMM?/,Ue=i,Fe=i,Le=["monthsParse","longMonthsParse","shortMonthsParse","monthsRegex","monthsShortRegex","monthsStrictRegex","monthsShortStrictRegex"];function Ve(e,t){if(e.isValid()){if("string"==typeof t)if(/^\d+$/.test(t))t=_(t);else if(!p(t=e.localeData().monthsParse(t)))return;var n=(n=e.date())<29?n:Math.min(n,We(e.year(),t));e._isUTC?e._d.setUTCMonth(t,n):e._d.setMonth(t,n)}}function Ge(e){return null!=e?(Ve(this,e),y.updateOffset(this,!0),this):Ne(this,"Month")}function Ee(){function e(e,t){return t.length-e.length}for(var t,n,s=[],i=[],r=[],a=0;a<12;a++)n=l([2e3,a]),t=f(this.monthsShort(n,"")),n=f(this.months(n,"")),s.push(t),i.push(n),r.push(n),r.push(t);s.sort(e),i.sort(e),r.sort(e),this._monthsRegex=new RegExp("^("+r.join("|")+")","i"),this._monthsShortRegex=this._monthsRegex,this._monthsStrictRegex=new RegExp("^("+i.join("|")+")","i"),this._monthsShortStrictRegex=new RegExp("^("+s.join("|")+")","i")}function Ae(e,t){return e.slice(t,7).concat(e.slice(0,t))}s("d",0,"do","day"),s("dd",0,0,function(e){return this.localeData().weekdaysMin(this,e)}),s("ddd",0,0,function(e){return this.localeData().weekdaysShort(this,e)}),s("dddd",0,0,function(e){return this.localeData().weekdays(this,e)}),s("e",0,0,"weekday"),s("E",0,0,"isoWeekday"),s("eHHmm",0,0,function(){return""+this.weekday()+r(this.hours(),2)+r(this.minutes(),2)}),d("d",n),d("e",n),d("E",n),d("eHHmm",he),d("dd",function(e,t){return t.weekdaysMinRegex(e)}),d("ddd",function(e,t){return t.weekdaysShortRegex(e)}),d("dddd",function(e,t){return t.weekdaysRegex(e)}),De(["dd","ddd","dddd"],function(e,t,n,s){s=n._locale.weekdaysParse(e,s,n._strict);null!=s?t.d=s:M(n).invalidWeekday=e}),De(["d","e","E"],function(e,t,n,s){t[s]=_(e)}),De("eHHmm",function(e,t,n){var s=e.length-4;t.e=_(e.substr(0,s)),n._a[b]=_(e.substr(s,2)),n._a[x]=_(e.substr(2+s))});var Ie="Sunday_Monday_Tuesday_Wednesday_Thursday_Friday_Saturday".split("_"),je="Sun_Mon_Tue_Wed_Thu_Fri_Sat".split("_"),ze="Su_Mo_Tu_We_Th_Fr_Sa".split("_"),Ze=i,$e=i,qe=i,Be=["weekdaysParse","fullWeekdaysParse","shortWeekdaysParse","minWeekdaysParse","weekdaysRegex","weekdaysShortRegex","weekdaysMinRegex","weekdaysStrictRegex","weekdaysShortStrictRegex","weekdaysMinStrictRegex"];function Je(){function e(e,t){return t.length-e.length}for(var t,n,s,i=[],r=[],a=[],o=[],u=0;u<7;u++)s=l([2e3,1]).day(u),t=f(this.weekdaysMin(s,"")),n=f(this.weekdaysShort(s,"")),s=f(this.weekdays(s,"")),i.push(t),r.push(n),a.push(s),o.push(t),o.push(n),o.push(s);i.sort(e),r.sort(e),a.sort(e),o.sort(e),this._weekdaysRegex=new RegExp("^("+o.join("|")+")","i"),this._weekdaysShortRegex=this._weekdaysRegex,this._weekdaysMinRegex=this._weekdaysRegex,this._weekdaysStrictRegex=new RegExp("^("+a.join("|")+")","i"),this._weekdaysShortStrictRegex=new RegExp("^("+r.join("|")+")","i"),this._weekdaysMinStrictRegex=new RegExp("^("+i.join("|")+")","i")}function Qe(e,t){var n,s=k({},e);for(n in t)c(t,n)&&(F(e[n])&&F(t[n])?(s[n]={},k(s[n],e[n]),k(s[n],t[n])):null!=t[n]?s[n]=t[n]:delete s[n]);for(n in e)c(e,n)&&!c(t,n)&&F(e[n])&&(s[n]=k({},s[n]));return s}function Xe(e){null!=e&&this.set(e)}var Ke=Object.keys||function(e){var t,n=[];for(t in e)c(e,t)&&n.push(t);return n};function et(e,t,n,s){var i=this._relativeTime[n];return h(i)?i(e,t,n,s):i.replace(/%d/i,e)}function tt(e,t){e=this._relativeTime[0<e?"future":"past"];return h(e)?e(t):e.replace(/%s/i,t)}function nt(e,t,n,s,i,r,a){var o;return e<100&&0<=e?(o=new Date(e+400,t,n,s,i,r,a),isFinite(o.getFullYear())&&o.setFullYear(e)):o=new Date(e,t,n,s,i,r,a),o}function st(e){var t;return e<100&&0<=e?((t=Array.prototype.slice.call(arguments))[0]=e+400,t=new Date(Date.UTC.apply(null,t)),isFinite(t.getUTCFullYear())&&t.setUTCFullYear(e)):t=new Date(Date.UTC.apply(null,arguments)),t}function it(e,t,n){n=7+t-n;return n-(7+st(e,0,n).getUTCDay()-t)%7-1}function rt(e,t,n,s,i){var r,t=1+7*(t-1)+(7+n-s)%7+it(e,s,i),n=t<=0?be(r=e-1)+t:t>be(e)?(r=e+1,t-be(e)):(r=e,t);return{year:r,dayOfYear:n}}function at(e,t,n,s){var i,r,a=it(e,n,s),t=Math.floor((t-a-1)/7)+1;return t<1?i=t+P(r=e-1,n,s):t>P(e,n,s)?(i=t-P(e,n,s),r=e+1):(r=e,i=t),{week:i,year:r}}function ot(e,t,n){return at(e.year(),e.dayOfYear(),t,n)}function ut(e,t,n,s,i){return at(e,Math.round((st(e,t,n)-st(e,0,1))/864e5)+1,s,i)}function P(e,t,n){var s=it(e,t,n),t=it(e+1,t,n);return(be(e)-s+t)/7}s("w",["ww",2],"wo","week"),s("W",["WW",2],"Wo","isoWeek"),d("w",n,o),d("ww",n,t),d("W",n,o),d("WW",n,t),De(["w","ww","W","WW"],function(e,t,n,s){t[s.substr(0,1)]=_(e)});function lt(){return this.hours()%12||12}function dt(e,t){s(e,0,0,function(){return this.localeData().meridiem(this.hours(),this.minutes(),t)})}function ht(e,t){return t._meridiemParse}s("H",["HH",2],0,"hour"),s("h",["hh",2],0,lt),s("k",["kk",2],0,function(){return this.hours()||24}),s("hmm",0,0,function(){return""+lt.apply(this)+r(this.minutes(),2)}),s("hmmss",0,0,function(){return""+lt.apply(this)+r(this.minutes(),2)+r(this.seconds(),2)}),s("Hmm",0,0,function(){return""+this.hours()+r(this.minutes(),2)}),s("Hmmss",0,0,function(){return""+this.hours()+r(this.minutes(),2)+r(this.seconds(),2)}),dt("a",!0),dt("A",!1),d("a",ht),d("A",ht),d("H",n,u),d("h",n,o),d("k",n,o),d("HH",n,t),d("hh",n,t),d("kk",n,t),d("hmm",de),d("hmmss",he),d("Hmm",de),d("Hmmss",he),v(["H","HH"],b),v(["k","kk"],function(e,t,n){e=_(e);t[b]=24===e?0:e}),v(["a","A"],function(e,t,n){n._isPm=n._locale.isPM(e),n._meridiem=e}),v(["h","hh"],function(e,t,n){t[b]=_(e),M(n).bigHour=!0}),v("hmm",function(e,t,n){var s=e.length-2;t[b]=_(e.substr(0,s)),t[x]=_(e.substr(s)),M(n).bigHour=!0}),v("hmmss",function(e,t,n){var s=e.length-4,i=e.length-2;t[b]=_(e.substr(0,s)),t[x]=_(e.substr(s,2)),t[T]=_(e.substr(i)),M(n).bigHour=!0}),v("Hmm",function(e,t,n){var s=e.length-2;t[b]=_(e.substr(0,s)),t[x]=_(e.substr(s))}),v("Hmmss",function(e,t,n){var s=e.length-4,i=e.length-2;t[b]=_(e.substr(0,s)),t[x]=_(e.substr(s,2)),t[T]=_(e.substr(i))});i=Te("Hours",!0);var ct,ft={calendar:{sameDay:"[Today at] LT",nextDay:"[Tomorrow at] LT",nextWeek:"dddd [at] LT",lastDay:"[Yesterday at] LT",lastWeek:"[Last] dddd [at] LT",sameElse:"L"},longDateFormat:{LTS:"h:mm:ss A",LT:"h:mm A",L:"MM/DD/YYYY",LL:"MMMM D, YYYY",LLL:"MMMM D, YYYY h:mm A",LLLL:"dddd, MMMM D, YYYY h:mm A"},invalidDate:"Invalid date",ordinal:"%d",dayOfMonthOrdinalParse:/\d{1,2}/,relativeTime:{future:"in %s",past:"%s ago",s:"a few seconds",ss:"%d seconds",m:"a minute",mm:"%d minutes",h:"an hour",hh:"%d hours",d:"a day",dd:"%d days",w:"a week",ww:"%d weeks",M:"a month",MM:"%d months",y:"a year",yy:"%d years"},months:Re,monthsShort:Ce,week:{dow:0,doy:6},weekdays:Ie,weekdaysMin:ze,weekdaysShort:je,meridiemParse:/[ap]\.?m?\.?/i},W={},mt={};function _t(e){return e&&e.toLowerCase().replace("_","-")}function yt(e){for(var t,n,s,i,r=0;r<e.length;){for(t=(i=_t(e[r]).split("-")).length,n=(n=_t(e[r+1]))?n.split("-"):null;0<t;){if(s=gt(i.slice(0,t).join("-")))return s;if(n&&n.length>=t&&((e,t)=>{for(var n=Math.min(e.length,t.length),s=0;s<n;s+=1)if(e[s]!==t[s])return s;return n})(i,n)>=t-1)break;t--}r++}return ct}function gt(t){var e,n;if(c(W,t))return W[t];if(t=_t(t),c(W,t))return W[t];if( true&&module&&module.exports&&"string"==typeof(n=t)&&/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(n))try{e=ct._abbr,require("./locale/"+t),wt(e)}catch(e){W[t]=null}return c(W,t)?W[t]:void 0}function wt(e,t){return e&&((t=w(t)?kt(e):pt(e,t))?ct=t:"undefined"!=typeof console&&console.warn&&console.warn("Locale "+e+" not found. Did you forget to load it?")),ct._abbr}function pt(e,t){if(null===t)return delete W[e],null;var n,s=ft;if(t.abbr=e,null!=W[e])J("defineLocaleOverride","use moment.updateLocale(localeName, config) to change an existing locale. moment.defineLocale(localeName, config) should only be used for creating a new locale See http://momentjs.com/guides/#/warnings/define-locale/ for more info."),s=W[e]._config;else if(null!=t.parentLocale)if(null!=W[t.parentLocale])s=W[t.parentLocale]._config;else{if(null==(n=gt(t.parentLocale)))return mt[t.parentLocale]||(mt[t.parentLocale]=[]),mt[t.parentLocale].push({name:e,config:t}),null;s=n._config}return W[e]=new Xe(Qe(s,t)),mt[e]&&mt[e].forEach(function(e){pt(e.name,e.config)}),wt(e),W[e]}function kt(e){var t;if(!(e=e&&e._locale&&e._locale._abbr?e._locale._abbr:e))return ct;if(!g(e)){if(t=gt(e))return t;e=[e]}return yt(e)}function Mt(e){var t=e._a;return t&&-2===M(e).overflow&&(t=t[Y]<0||11<t[Y]?Y:t[O]<1||t[O]>We(t[S],t[Y])?O:t[b]<0||24<t[b]||24===t[b]&&(0!==t[x]||0!==t[T]||0!==t[Se])?b:t[x]<0||59<t[x]?x:t[T]<0||59<t[T]?T:t[Se]<0||999<t[Se]?Se:-1,M(e)._overflowDayOfYear&&(t<S||O<t)&&(t=O),M(e)._overflowWeeks&&-1===t&&(t=Ye),M(e)._overflowWeekday&&-1===t&&(t=Oe),M(e).overflow=t),e}var Dt=/^\s*((?:[+-]\d{6}|\d{4})-(?:\d\d-\d\d|W\d\d-\d|W\d\d|\d\d\d|\d\d))(?:(T| )(\d\d(?::\d\d(?::\d\d(?:[.,]\d+)?)?)?)([+-]\d\d(?::?\d\d)?|\s*Z)?)?$/,vt=/^\s*((?:[+-]\d{6}|\d{4})(?:\d\d\d\d|W\d\d\d|W\d\d|\d\d\d|\d\d|))(?:(T| )(\d\d(?:\d\d(?:\d\d(?:[.,]\d+)?)?)?)([+-]\d\d(?::?\d\d)?|\s*Z)?)?$/,St=/Z|[+-]\d\d(?::?\d\d)?/,Yt=[["YYYYYY-MM-DD",/[+-]\d{6}-\d\d-\d\d/],["YYYY-MM-DD",/\d{4}-\d\d-\d\d/],["GGGG-[W]WW-E",/\d{4}-W\d\d-\d/],["GGGG-[W]WW",/\d{4}-W\d\d/,!1],["YYYY-DDD",/\d{4}-\d{3}/],["YYYY-MM",/\d{4}-\d\d/,!1],["YYYYYYMMDD",/[+-]\d{10}/],["YYYYMMDD",/\d{8}/],["GGGG[W]WWE",/\d{4}W\d{3}/],["GGGG[W]WW",/\d{4}W\d{2}/,!1],["YYYYDDD",/\d{7}/],["YYYYMM",/\d{6}/,!1],["YYYY",/\d{4}/,!1]],Ot=[["HH:mm:ss.SSSS",/\d\d:\d\d:\d\d\.\d+/],["HH:mm:ss,SSSS",/\d\d:\d\d:\d\d,\d+/],["HH:mm:ss",/\d\d:\d\d:\d\d/],["HH:mm",/\d\d:\d\d/],["HHmmss.SSSS",/\d\d\d\d\d\d\.\d+/],["HHmmss,SSSS",/\d\d\d\d\d\d,\d+/],["HHmmss",/\d\d\d\d\d\d/],["HHmm",/\d\d\d\d/],["HH",/\d\d/]],bt=/^\/?Date\((-?\d+)/i,xt=/^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s)?(\d{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s(\d{2,4})\s(\d\d):(\d\d)(?::(\d\d))?\s(?:(UT|GMT|[ECMP][SD]T)|([Zz])|([+-]\d{4}))$/,Tt={UT:0,GMT:0,EDT:-240,EST:-300,CDT:-300,CST:-360,MDT:-360,MST:-420,PDT:-420,PST:-480};function Nt(e){var t,n,s,i,r,a,o=e._i,u=Dt.exec(o)||vt.exec(o),o=Yt.length,l=Ot.length;if(u){for(M(e).iso=!0,t=0,n=o;t<n;t++)if(Yt[t][1].exec(u[1])){i=Yt[t][0],s=!1!==Yt[t][2];break}if(null==i)e._isValid=!1;else{if(u[3]){for(t=0,n=l;t<n;t++)if(Ot[t][1].exec(u[3])){r=(u[2]||" ")+Ot[t][0];break}if(null==r)return void(e._isValid=!1)}if(s||null==r){if(u[4]){if(!St.exec(u[4]))return void(e._isValid=!1);a="Z"}e._f=i+(r||"")+(a||""),Ut(e)}else e._isValid=!1}}else e._isValid=!1}function Pt(e,t,n,s,i,r){e=[(e=>(e=parseInt(e,10))<=49?2e3+e:e<=999?1900+e:e)(e),Ce.indexOf(t),parseInt(n,10),parseInt(s,10),parseInt(i,10)];return r&&e.push(parseInt(r,10)),e}function Wt(e){var t,n,s=xt.exec(e._i.replace(/\([^()]*\)|[\n\t]/g," ").replace(/(\s\s+)/g," ").replace(/^\s\s*/,"").replace(/\s\s*$/,""));s?(t=Pt(s[4],s[3],s[2],s[5],s[6],s[7]),((e,t,n)=>{if(!e||je.indexOf(e)===new Date(t[0],t[1],t[2]).getDay())return 1;M(n).weekdayMismatch=!0,n._isValid=!1})(s[1],t,e)&&(e._a=t,e._tzm=(t=s[8],n=s[9],s=s[10],t?Tt[t]:n?0:60*(((t=parseInt(s,10))-(n=t%100))/100)+n),e._d=st.apply(null,e._a),e._d.setUTCMinutes(e._d.getUTCMinutes()-e._tzm),M(e).rfc2822=!0)):e._isValid=!1}function Rt(e,t,n){return null!=e?e:null!=t?t:n}function Ct(e,t,n){var s=Object.prototype.hasOwnProperty.call(e,"_isDefaultDatePartsForWeek"),i=e._isDefaultDatePartsForWeek;e._isDefaultDatePartsForWeek=!!n;try{return y._getDefaultDateParts(e,t,n)}finally{s?e._isDefaultDatePartsForWeek=i:delete e._isDefaultDatePartsForWeek}}function Ht(e){var t,n,s,i,r,a,o,u,l,d,h,c,f=[];if(!e._d){for(null!=e._a[S]&&null!=e._a[Y]&&null!=e._a[O]||(n=Ct(s=e,s=(s=s._defaultDatePartsNow)?(s.hasValue||(s.value=y.now(),s.hasValue=!0),s.value):y.now())),e._w&&null==e._a[O]&&null==e._a[Y]&&(r=Ct(i=e,s,!0),null!=(a=i._w).GG||null!=a.W||null!=a.E?(d=1,h=4,o=Rt(a.GG,i._a[S],ut(r[S],r[Y],r[O],1,4).year),u=Rt(a.W,1),((l=Rt(a.E,1))<1||7<l)&&(c=!0)):(d=i._locale._week.dow,h=i._locale._week.doy,r=ut(r[S],r[Y],r[O],d,h),o=Rt(a.gg,i._a[S],r.year),u=Rt(a.w,r.week),null!=a.d?((l=a.d)<0||6<l)&&(c=!0):null!=a.e?(l=a.e+d,(a.e<0||6<a.e)&&(c=!0)):l=d),u<1||u>P(o,d,h)?M(i)._overflowWeeks=!0:null!=c?M(i)._overflowWeekday=!0:(r=rt(o,u,l,d,h),i._a[S]=r.year,i._dayOfYear=r.dayOfYear)),null!=e._dayOfYear&&(a=(null!=e._a[S]?e._a:n)[S],(e._dayOfYear>be(a)||0===e._dayOfYear)&&(M(e)._overflowDayOfYear=!0),c=st(a,0,e._dayOfYear),e._a[Y]=c.getUTCMonth(),e._a[O]=c.getUTCDate()),o=null==e._a[S]||null==e._a[Y]||null==e._a[O],t=0;t<3&&null==e._a[t];++t)e._a[t]=f[t]=n[t];for(;t<7;t++)e._a[t]=f[t]=null==e._a[t]?2===t?1:0:e._a[t];24===e._a[b]&&0===e._a[x]&&0===e._a[T]&&0===e._a[Se]&&(e._nextDay=!0,e._a[b]=0),e._d=(e._useUTC?st:nt).apply(null,f),u=e._useUTC?e._d.getUTCDay():e._d.getDay(),null!=e._tzm&&e._d.setUTCMinutes(e._d.getUTCMinutes()-e._tzm),e._nextDay&&(e._a[b]=24),e._w&&void 0!==e._w.d&&!o&&e._w.d!==u&&(M(e).weekdayMismatch=!0)}}function Ut(e){if(e._f===y.ISO_8601)Nt(e);else if(e._f===y.RFC_2822)Wt(e);else{e._a=[],M(e).empty=!0;for(var t,n,s,i,r,a=""+e._i,o=a.length,u=0,l=re(e._f,e._locale).match(ee)||[],d=l.length,h=0;h<d;h++)n=l[h],(t=(a.match(pe(n,e))||[])[0])&&(0<(s=a.substr(0,a.indexOf(t))).length&&M(e).unusedInput.push(s),a=a.slice(a.indexOf(t)+t.length),u+=t.length),se[n]?(t?M(e).empty=!1:M(e).unusedTokens.push(n),s=n,r=e,null!=(i=t)&&c(Me,s)&&Me[s](i,r._a,r,s)):e._strict&&!t&&M(e).unusedTokens.push(n);M(e).charsLeftOver=o-u,0<a.length&&M(e).unusedInput.push(a),e._a[b]<=12&&!0===M(e).bigHour&&0<e._a[b]&&(M(e).bigHour=void 0),M(e).parsedDateParts=e._a.slice(0),M(e).meridiem=e._meridiem,e._a[b]=((e,t,n)=>null==n?t:null!=e.meridiemHour?e.meridiemHour(t,n):null!=e.isPM?((e=e.isPM(n))&&t<12&&(t+=12),t=e||12!==t?t:0):t)(e._locale,e._a[b],e._meridiem),null!==(o=M(e).era)&&(e._a[S]=e._locale.erasConvertYear(o,e._a[S])),Ht(e),Mt(e)}}function Ft(e){var t,n,s,i=e._i,r=e._f;if(e._locale=e._locale||kt(e._l),null===i||void 0===r&&""===i)return A({nullInput:!0});if("string"==typeof i&&(e._i=i=e._locale.preparse(i)),D(i))return new $(Mt(i));if(V(i))e._d=i;else if(g(r)){var a,o,u,l,d,h,c=e,f=!1,m={},_=c._f.length;if(0===_)M(c).invalidFormat=!0,c._d=new Date(NaN);else{for(l=0;l<_;l++)d=0,h=!1,a=Z({},c),null!=c._useUTC&&(a._useUTC=c._useUTC),a._defaultDatePartsNow=m,a._f=c._f[l],Ut(a),E(a)&&(h=!0),d=(d+=M(a).charsLeftOver)+10*M(a).unusedTokens.length,M(a).score=d,f?d<u&&(u=d,o=a):(null==u||d<u||h)&&(u=d,o=a,h)&&(f=!0);k(c,o||a)}}else if(r)Ut(e);else if(w(r=(i=e)._i))i._d=new Date(y.now());else V(r)?i._d=new Date(r.valueOf()):"string"==typeof r?(n=i,null!==(t=bt.exec(n._i))?n._d=new Date(+t[1]):(Nt(n),!1===n._isValid&&(delete n._isValid,Wt(n),!1===n._isValid)&&(delete n._isValid,n._strict?n._isValid=!1:y.createFromInputFallback(n)))):g(r)?(i._a=G(r.slice(0),function(e){return parseInt(e,10)}),Ht(i)):F(r)?(t=i)._d||(s=void 0===(n=X(t._i)).day?n.date:n.day,t._a=G([n.year,n.month,s,n.hour,n.minute,n.second,n.millisecond],function(e){return e&&parseInt(e,10)}),Ht(t)):p(r)?i._d=new Date(r):y.createFromInputFallback(i);return E(e)||(e._d=null),e}function Lt(e,t,n,s,i){var r={};return!0!==t&&!1!==t||(s=t,t=void 0),!0!==n&&!1!==n||(s=n,n=void 0),(F(e)&&L(e)||g(e)&&0===e.length)&&(e=void 0),r._isAMomentObject=!0,r._useUTC=r._isUTC=i,r._l=n,r._i=e,r._f=t,r._strict=s,(i=new $(Mt(Ft(i=r))))._nextDay&&(i.add(1,"d"),i._nextDay=void 0),i}function R(e,t,n,s){return Lt(e,t,n,s,!1)}y.createFromInputFallback=e("value provided is not in a recognized RFC2822 or ISO format. moment construction falls back to js Date(), which is not reliable across all browsers and versions. Non RFC2822/ISO date formats are discouraged. Please refer to http://momentjs.com/guides/#/warnings/js-date/ for more info.",function(e){e._d=new Date(e._i+(e._useUTC?" UTC":""))}),y._getDefaultDateParts=function(e,t,n){return n=n||e._isDefaultDatePartsForWeek,t=n?R(t):new Date(t),n?[t.year(),t.month(),t.date()]:e._useUTC?[t.getUTCFullYear(),t.getUTCMonth(),t.getUTCDate()]:[t.getFullYear(),t.getMonth(),t.getDate()]},y.ISO_8601=function(){},y.RFC_2822=function(){};de=e("moment().min is deprecated, use moment.max instead. http://momentjs.com/guides/#/warnings/min-max/",function(){var e=R.apply(null,arguments);return this.isValid()&&e.isValid()?e<this?this:e:A()}),he=e("moment().max is deprecated, use moment.min instead. http://momentjs.com/guides/#/warnings/min-max/",function(){var e=R.apply(null,arguments);return this.isValid()&&e.isValid()?this<e?this:e:A()});function Vt(e,t){var n,s;if(!(t=1===t.length&&g(t[0])?t[0]:t).length)return R();for(s=0;s<t.length;++s)if(D(t[s])){n=t[s];break}if(!n)return A();for(++s;s<t.length;++s)!D(t[s])||t[s].isValid()&&!t[s][e](n)||(n=t[s]);return n}var Gt=["year","quarter","month","week","day","hour","minute","second","millisecond"];function Et(e){var e=X(e),t=e.year||0,n=e.quarter||0,s=e.month||0,i=e.week||e.isoWeek||0,r=e.day||0,a=e.hour||0,o=e.minute||0,u=e.second||0,l=e.millisecond||0;this._isValid=(e=>{var t,n,s=!1,i=Gt.length;for(t in e)if(c(e,t)&&(-1===N.call(Gt,t)||null!=e[t]&&isNaN(e[t])))return!1;for(n=0;n<i;++n)if(e[Gt[n]]){if(s)return!1;parseFloat(e[Gt[n]])!==_(e[Gt[n]])&&(s=!0)}return!0})(e),this._milliseconds=+l+1e3*u+6e4*o+1e3*a*60*60,this._days=+r+7*i,this._months=+s+3*n+12*t,this._data={},this._locale=kt(),this._bubble()}function At(e){return e instanceof Et}function It(e){return e<0?-1*Math.round(-1*e):Math.round(e)}function jt(e,n){s(e,0,0,function(){var e=this.utcOffset(),t="+";return e<0&&(e=-e,t="-"),t+r(~~(e/60),2)+n+r(~~e%60,2)})}jt("Z",":"),jt("ZZ",""),d("Z",we),d("ZZ",we),v(["Z","ZZ"],function(e,t,n){var s=Zt(we,e);n._useUTC=!0,null===(n._tzm=s)&&(M(n).invalidOffset=e)});var zt=/([\+\-]|\d\d)/gi;function Zt(e,t){var t=(t||"").match(e);return null===t||(t=60*(e=((t[t.length-1]||[])+"").match(zt)||["-",0,0])[1]+_(e[2]),59<_(e[2]))||("+"===e[0]?840<t:720<t)?null:0===t?0:"+"===e[0]?t:-t}function $t(e,t){var n;return t._isUTC?(t=t.clone(),n=(D(e)||V(e)?e:R(e)).valueOf()-t.valueOf(),t._d.setTime(t._d.valueOf()+n),y.updateOffset(t,!1),t):R(e).local()}function qt(e){return-Math.round(e._d.getTimezoneOffset())}function Bt(){return!!this.isValid()&&this._isUTC&&0===this._offset}y.updateOffset=function(){};var Jt=/^(-|\+)?(?:(\d*)[. ])?(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/,Qt=/^(-|\+)?P(?:([-+]?[0-9,.]*)Y)?(?:([-+]?[0-9,.]*)M)?(?:([-+]?[0-9,.]*)W)?(?:([-+]?[0-9,.]*)D)?(?:T(?:([-+]?[0-9,.]*)H)?(?:([-+]?[0-9,.]*)M)?(?:([-+]?[0-9,.]*)S)?)?$/;function C(e,t){var n,s=e;return At(e)?s={ms:e._milliseconds,d:e._days,M:e._months}:p(e)||!isNaN(+e)?(s={},t?s[t]=+e:s.milliseconds=+e):(t=Jt.exec(e))?(n="-"===t[1]?-1:1,s={y:0,d:_(t[O])*n,h:_(t[b])*n,m:_(t[x])*n,s:_(t[T])*n,ms:_(It(1e3*t[Se]))*n}):(t=Qt.exec(e))?(n="-"===t[1]?-1:1,s={y:Xt(t[2],n),M:Xt(t[3],n),w:Xt(t[4],n),d:Xt(t[5],n),h:Xt(t[6],n),m:Xt(t[7],n),s:Xt(t[8],n)}):null==s?s={}:"object"==typeof s&&("from"in s||"to"in s)&&(t=((e,t)=>{var n;return e.isValid()&&t.isValid()?(t=$t(t,e),e.isBefore(t)?n=Kt(e,t):((n=Kt(t,e)).milliseconds=-n.milliseconds,n.months=-n.months),n):{milliseconds:0,months:0}})(R(s.from),R(s.to)),(s={}).ms=t.milliseconds,s.M=t.months),n=new Et(s),At(e)&&c(e,"_locale")&&(n._locale=e._locale),At(e)&&c(e,"_isValid")&&(n._isValid=e._isValid),n}function Xt(e,t){e=e&&parseFloat(e.replace(",","."));return(isNaN(e)?0:e)*t}function Kt(e,t){var n={};return n.months=t.month()-e.month()+12*(t.year()-e.year()),e.clone().add(n.months,"M").isAfter(t)&&--n.months,n.milliseconds=+t-+e.clone().add(n.months,"M"),n}function en(s,i){return function(e,t){var n;return null===t||isNaN(+t)||(J(i,"moment()."+i+"(period, number) is deprecated. Please use moment()."+i+"(number, period). See http://momentjs.com/guides/#/warnings/add-inverted-param/ for more info."),n=e,e=t,t=n),tn(this,C(e,t),s),this}}function tn(e,t,n,s){var i=t._milliseconds,r=It(t._days),t=It(t._months);e.isValid()&&(s=null==s||s,t&&Ve(e,Ne(e,"Month")+t*n),r&&Pe(e,"Date",Ne(e,"Date")+r*n),i&&e._d.setTime(e._d.valueOf()+i*n),s)&&y.updateOffset(e,r||t)}C.fn=Et.prototype,C.invalid=function(){return C(NaN)};Re=en(1,"add"),Ie=en(-1,"subtract");function nn(e){return"string"==typeof e||e instanceof String}function sn(e){return D(e)||V(e)||nn(e)||p(e)||(t=>{var e=g(t),n=!1;return e&&(n=0===t.filter(function(e){return!p(e)&&nn(t)}).length),e&&n})(e)||(e=>{var t,n,s=F(e)&&!L(e),i=!1,r=["years","year","y","months","month","M","days","day","d","dates","date","D","hours","hour","h","minutes","minute","m","seconds","second","s","milliseconds","millisecond","ms"],a=r.length;for(t=0;t<a;t+=1)n=r[t],i=i||c(e,n);return s&&i})(e)||null==e}function rn(e,t){var n,s;return e.date()<t.date()?-rn(t,e):-((n=12*(t.year()-e.year())+(t.month()-e.month()))+(t-(s=e.clone().add(n,"months"))<0?(t-s)/(s-e.clone().add(n-1,"months")):(t-s)/(e.clone().add(1+n,"months")-s)))||0}function an(e){return void 0===e?this._locale._abbr:(null!=(e=kt(e))&&(this._locale=e),this)}y.defaultFormat="YYYY-MM-DDTHH:mm:ssZ",y.defaultFormatUtc="YYYY-MM-DDTHH:mm:ss[Z]";ze=e("moment().lang() is deprecated. Instead, use moment().localeData() to get the language configuration. Use moment().locale() to change languages.",function(e){return void 0===e?this.localeData():this.locale(e)});function on(){return this._locale}var un=126227808e5;function ln(e,t){return(e%t+t)%t}function dn(e,t,n){return e<100&&0<=e?new Date(e+400,t,n)-un:new Date(e,t,n).valueOf()}function hn(e,t,n){return e<100&&0<=e?Date.UTC(e+400,t,n)-un:Date.UTC(e,t,n)}function cn(e,t){return t.erasAbbrRegex(e)}function fn(){for(var e,t,n,s=[],i=[],r=[],a=[],o=this.eras(),u=0,l=o.length;u<l;++u)e=f(o[u].name),t=f(o[u].abbr),n=f(o[u].narrow),i.push(e),s.push(t),r.push(n),a.push(e),a.push(t),a.push(n);this._erasRegex=new RegExp("^("+a.join("|")+")","i"),this._erasNameRegex=new RegExp("^("+i.join("|")+")","i"),this._erasAbbrRegex=new RegExp("^("+s.join("|")+")","i"),this._erasNarrowRegex=new RegExp("^("+r.join("|")+")","i")}function mn(e,t){s(0,[e,e.length],0,t)}function _n(e,t,n,s,i){var r;return null==e?ot(this,s,i).year:(r=P(e,s,i),function(e,t,n,s,i){e=rt(e,t,n,s,i),t=st(e.year,0,e.dayOfYear);return this.year(t.getUTCFullYear()),this.month(t.getUTCMonth()),this.date(t.getUTCDate()),this}.call(this,e,t=r<t?r:t,n,s,i))}s("N",0,0,"eraAbbr"),s("NN",0,0,"eraAbbr"),s("NNN",0,0,"eraAbbr"),s("NNNN",0,0,"eraName"),s("NNNNN",0,0,"eraNarrow"),s("y",["y",1],"yo","eraYear"),s("y",["yy",2],0,"eraYear"),s("y",["yyy",3],0,"eraYear"),s("y",["yyyy",4],0,"eraYear"),d("N",cn),d("NN",cn),d("NNN",cn),d("NNNN",function(e,t){return t.erasNameRegex(e)}),d("NNNNN",function(e,t){return t.erasNarrowRegex(e)}),v(["N","NN","NNN","NNNN","NNNNN"],function(e,t,n,s){s=n._locale.erasParse(e,s,n._strict);s?M(n).era=s:M(n).invalidEra=e}),d("y",_e),d("yy",_e),d("yyy",_e),d("yyyy",_e),d("yo",function(e,t){return t._eraYearOrdinalRegex||_e}),v(["y","yy","yyy","yyyy"],S),v(["yo"],function(e,t,n,s){var i;n._locale._eraYearOrdinalRegex&&(i=e.match(n._locale._eraYearOrdinalRegex)),n._locale.eraYearOrdinalParse?t[S]=n._locale.eraYearOrdinalParse(e,i):t[S]=parseInt(e,10)}),s(0,["gg",2],0,function(){return this.weekYear()%100}),s(0,["GG",2],0,function(){return this.isoWeekYear()%100}),mn("gggg","weekYear"),mn("ggggg","weekYear"),mn("GGGG","isoWeekYear"),mn("GGGGG","isoWeekYear"),d("G",ye),d("g",ye),d("GG",n,t),d("gg",n,t),d("GGGG",fe,ue),d("gggg",fe,ue),d("GGGGG",me,le),d("ggggg",me,le),De(["gggg","ggggg","GGGG","GGGGG"],function(e,t,n,s){t[s.substr(0,2)]=_(e)}),De(["gg","GG"],function(e,t,n,s){t[s]=y.parseTwoDigitYear(e)}),s("Q",0,"Qo","quarter"),d("Q",ae),v("Q",function(e,t){t[Y]=3*(_(e)-1)}),s("D",["DD",2],"Do","date"),d("D",n,o),d("DD",n,t),d("Do",function(e,t){return e?t._dayOfMonthOrdinalParse||t._ordinalParse:t._dayOfMonthOrdinalParseLenient}),v(["D","DD"],O),v("Do",function(e,t){t[O]=_(e.match(n)[0])});fe=Te("Date",!0);s("DDD",["DDDD",3],"DDDo","dayOfYear"),d("DDD",ce),d("DDDD",oe),v(["DDD","DDDD"],function(e,t,n){n._dayOfYear=_(e)}),s("m",["mm",2],0,"minute"),d("m",n,u),d("mm",n,t),v(["m","mm"],x);var yn,ue=Te("Minutes",!1),me=(s("s",["ss",2],0,"second"),d("s",n,u),d("ss",n,t),v(["s","ss"],T),Te("Seconds",!1));for(s("S",0,0,function(){return~~(this.millisecond()/100)}),s(0,["SS",2],0,function(){return~~(this.millisecond()/10)}),s(0,["SSS",3],0,"millisecond"),s(0,["SSSS",4],0,function(){return 10*this.millisecond()}),s(0,["SSSSS",5],0,function(){return 100*this.millisecond()}),s(0,["SSSSSS",6],0,function(){return 1e3*this.millisecond()}),s(0,["SSSSSSS",7],0,function(){return 1e4*this.millisecond()}),s(0,["SSSSSSSS",8],0,function(){return 1e5*this.millisecond()}),s(0,["SSSSSSSSS",9],0,function(){return 1e6*this.millisecond()}),d("S",ce,ae),d("SS",ce,t),d("SSS",ce,oe),yn="SSSS";yn.length<=9;yn+="S")d(yn,_e);function gn(e,t){t[Se]=_(1e3*("0."+e))}for(yn="S";yn.length<=9;yn+="S")v(yn,gn);le=Te("Milliseconds",!1),s("z",0,0,"zoneAbbr"),s("zz",0,0,"zoneName");o=$.prototype;function wn(e){return e}o.add=Re,o.calendar=function(e,t){1===arguments.length&&(arguments[0]?sn(arguments[0])?(e=arguments[0],t=void 0):(e=>{for(var t=F(e)&&!L(e),n=!1,s=["sameDay","nextDay","lastDay","nextWeek","lastWeek","sameElse"],i=0;i<s.length;i+=1)n=n||c(e,s[i]);return t&&n})(arguments[0])&&(t=arguments[0],e=void 0):t=e=void 0);var e=e||R(),n=$t(e,this).startOf("day"),n=y.calendarFormat(this,n)||"sameElse",t=t&&(h(t[n])?t[n].call(this,e):t[n]);return this.format(t||this.localeData().calendar(n,this,R(e)))},o.clone=function(){return new $(this)},o.diff=function(e,t,n){var s,i,r;if(!this.isValid())return NaN;if(!(s=$t(e,this)).isValid())return NaN;switch(i=6e4*(s.utcOffset()-this.utcOffset()),t=a(t)){case"year":r=rn(this,s)/12;break;case"month":r=rn(this,s);break;case"quarter":r=rn(this,s)/3;break;case"second":r=(this-s)/1e3;break;case"minute":r=(this-s)/6e4;break;case"hour":r=(this-s)/36e5;break;case"day":r=(this-s-i)/864e5;break;case"week":r=(this-s-i)/6048e5;break;default:r=this-s}return n?r:m(r)},o.endOf=function(e){var t,n;if(void 0!==(e=a(e))&&"millisecond"!==e&&this.isValid()){switch(n=this._isUTC?hn:dn,e){case"year":t=n(this.year()+1,0,1)-1;break;case"quarter":t=n(this.year(),this.month()-this.month()%3+3,1)-1;break;case"month":t=n(this.year(),this.month()+1,1)-1;break;case"week":t=n(this.year(),this.month(),this.date()-this.weekday()+7)-1;break;case"isoWeek":t=n(this.year(),this.month(),this.date()-(this.isoWeekday()-1)+7)-1;break;case"day":case"date":t=n(this.year(),this.month(),this.date()+1)-1;break;case"hour":t=this._d.valueOf(),t+=36e5-ln(t+(this._isUTC?0:6e4*this.utcOffset()),36e5)-1;break;case"minute":t=this._d.valueOf(),t+=6e4-ln(t,6e4)-1;break;case"second":t=this._d.valueOf(),t+=1e3-ln(t,1e3)-1;break}this._d.setTime(t),y.updateOffset(this,!0)}return this},o.format=function(e){return e=e||(this.isUtc()?y.defaultFormatUtc:y.defaultFormat),e=ie(this,e),this.localeData().postformat(e)},o.from=function(e,t){return this.isValid()&&(D(e)&&e.isValid()||R(e).isValid())?C({to:this,from:e}).locale(this.locale()).humanize(!t):this.localeData().invalidDate()},o.fromNow=function(e){return this.from(R(),e)},o.to=function(e,t){return this.isValid()&&(D(e)&&e.isValid()||R(e).isValid())?C({from:this,to:e}).locale(this.locale()).humanize(!t):this.localeData().invalidDate()},o.toNow=function(e){return this.to(R(),e)},o.get=function(e){return h(this[e=a(e)])?this[e]():this},o.invalidAt=function(){return M(this).overflow},o.isAfter=function(e,t){return e=D(e)?e:R(e),!(!this.isValid()||!e.isValid())&&("millisecond"===(t=a(t)||"millisecond")?this.valueOf()>e.valueOf():e.valueOf()<this.clone().startOf(t).valueOf())},o.isBefore=function(e,t){return e=D(e)?e:R(e),!(!this.isValid()||!e.isValid())&&("millisecond"===(t=a(t)||"millisecond")?this.valueOf()<e.valueOf():this.clone().endOf(t).valueOf()<e.valueOf())},o.isBetween=function(e,t,n,s){return e=D(e)?e:R(e),t=D(t)?t:R(t),!!(this.isValid()&&e.isValid()&&t.isValid())&&("("===(s=s||"()")[0]?this.isAfter(e,n):!this.isBefore(e,n))&&(")"===s[1]?this.isBefore(t,n):!this.isAfter(t,n))},o.isSame=function(e,t){var e=D(e)?e:R(e);return!(!this.isValid()||!e.isValid())&&("millisecond"===(t=a(t)||"millisecond")?this.valueOf()===e.valueOf():(e=e.valueOf(),this.clone().startOf(t).valueOf()<=e&&e<=this.clone().endOf(t).valueOf()))},o.isSameOrAfter=function(e,t){return this.isSame(e,t)||this.isAfter(e,t)},o.isSameOrBefore=function(e,t){return this.isSame(e,t)||this.isBefore(e,t)},o.isValid=function(){return E(this)},o.lang=ze,o.locale=an,o.localeData=on,o.max=he,o.min=de,o.parsingFlags=function(){return k({},M(this))},o.set=function(e,t){if("object"==typeof e)for(var n=(e=>{var t,n=[];for(t in e)c(e,t)&&n.push({unit:t,priority:K[t]});return n.sort(function(e,t){return e.priority-t.priority}),n})(e=X(e)),s=n.length,i=0;i<s;i++)this[n[i].unit](e[n[i].unit]);else if(h(this[e=a(e)]))return this[e](t);return this},o.startOf=function(e){var t,n;if(void 0!==(e=a(e))&&"millisecond"!==e&&this.isValid()){switch(n=this._isUTC?hn:dn,e){case"year":t=n(this.year(),0,1);break;case"quarter":t=n(this.year(),this.month()-this.month()%3,1);break;case"month":t=n(this.year(),this.month(),1);break;case"week":t=n(this.year(),this.month(),this.date()-this.weekday());break;case"isoWeek":t=n(this.year(),this.month(),this.date()-(this.isoWeekday()-1));break;case"day":case"date":t=n(this.year(),this.month(),this.date());break;case"hour":t=this._d.valueOf(),t-=ln(t+(this._isUTC?0:6e4*this.utcOffset()),36e5);break;case"minute":t=this._d.valueOf(),t-=ln(t,6e4);break;case"second":t=this._d.valueOf(),t-=ln(t,1e3);break}this._d.setTime(t),y.updateOffset(this,!0)}return this},o.subtract=Ie,o.toArray=function(){var e=this;return[e.year(),e.month(),e.date(),e.hour(),e.minute(),e.second(),e.millisecond()]},o.toObject=function(){var e=this;return{years:e.year(),months:e.month(),date:e.date(),hours:e.hours(),minutes:e.minutes(),seconds:e.seconds(),milliseconds:e.milliseconds()}},o.toDate=function(){return new Date(this.valueOf())},o.toISOString=function(e){var t;return this.isValid()?(t=(e=!0!==e)?this.clone().utc():this).year()<0||9999<t.year()?ie(t,e?"YYYYYY-MM-DD[T]HH:mm:ss.SSS[Z]":"YYYYYY-MM-DD[T]HH:mm:ss.SSSZ"):h(Date.prototype.toISOString)?e?this.toDate().toISOString():new Date(this.valueOf()+60*this.utcOffset()*1e3).toISOString().replace("Z",ie(t,"Z")):ie(t,e?"YYYY-MM-DD[T]HH:mm:ss.SSS[Z]":"YYYY-MM-DD[T]HH:mm:ss.SSSZ"):null},o.inspect=function(){var e,t,n;return this.isValid()?(t="moment",e="",this.isLocal()||(t=0===this.utcOffset()?"moment.utc":"moment.parseZone",e="Z"),t="["+t+'("]',n=0<=this.year()&&this.year()<=9999?"YYYY":"YYYYYY",this.format(t+n+"-MM-DD[T]HH:mm:ss.SSS"+(e+'[")]'))):"moment.invalid(/* "+this._i+" */)"},"undefined"!=typeof Symbol&&null!=Symbol.for&&(o[Symbol.for("nodejs.util.inspect.custom")]=function(){return"Moment<"+this.format()+">"}),o.toJSON=function(){return this.isValid()?this.toISOString():null},o.toString=function(){return this.clone().locale("en").format("ddd MMM DD YYYY HH:mm:ss [GMT]ZZ")},o.unix=function(){return Math.floor(this.valueOf()/1e3)},o.valueOf=function(){return this._d.valueOf()-6e4*(this._offset||0)},o.creationData=function(){return{input:this._i,format:this._f,locale:this._locale,isUTC:this._isUTC,strict:this._strict}},o.eraName=function(){for(var e,t=this.localeData().eras(),n=0,s=t.length;n<s;++n){if(e=this.clone().startOf("day").valueOf(),t[n].since<=e&&e<=t[n].until)return t[n].name;if(t[n].until<=e&&e<=t[n].since)return t[n].name}return""},o.eraNarrow=function(){for(var e,t=this.localeData().eras(),n=0,s=t.length;n<s;++n){if(e=this.clone().startOf("day").valueOf(),t[n].since<=e&&e<=t[n].until)return t[n].narrow;if(t[n].until<=e&&e<=t[n].since)return t[n].narrow}return""},o.eraAbbr=function(){for(var e,t=this.localeData().eras(),n=0,s=t.length;n<s;++n){if(e=this.clone().startOf("day").valueOf(),t[n].since<=e&&e<=t[n].until)return t[n].abbr;if(t[n].until<=e&&e<=t[n].since)return t[n].abbr}return""},o.eraYear=function(){for(var e,t,n=this.localeData().eras(),s=0,i=n.length;s<i;++s)if(e=n[s].since<=n[s].until?1:-1,t=this.clone().startOf("day").valueOf(),n[s].since<=t&&t<=n[s].until||n[s].until<=t&&t<=n[s].since)return(this.year()-y(n[s].since).year())*e+n[s].offset;return this.year()},o.year=xe,o.isLeapYear=function(){return ve(this.year())},o.weekYear=function(e){return _n.call(this,e,this.week(),this.weekday()+this.localeData()._week.dow,this.localeData()._week.dow,this.localeData()._week.doy)},o.isoWeekYear=function(e){return _n.call(this,e,this.isoWeek(),this.isoWeekday(),1,4)},o.quarter=o.quarters=function(e){return null==e?Math.ceil((this.month()+1)/3):this.month(3*(e-1)+this.month()%3)},o.month=Ge,o.daysInMonth=function(){return We(this.year(),this.month())},o.week=o.weeks=function(e){var t=this.localeData().week(this);return null==e?t:this.add(7*(e-t),"d")},o.isoWeek=o.isoWeeks=function(e){var t=ot(this,1,4).week;return null==e?t:this.add(7*(e-t),"d")},o.weeksInYear=function(){var e=this.localeData()._week;return P(this.year(),e.dow,e.doy)},o.weeksInWeekYear=function(){var e=this.localeData()._week;return P(this.weekYear(),e.dow,e.doy)},o.isoWeeksInYear=function(){return P(this.year(),1,4)},o.isoWeeksInISOWeekYear=function(){return P(this.isoWeekYear(),1,4)},o.date=fe,o.day=o.days=function(e){var t,n,s;return this.isValid()?(t=Ne(this,"Day"),null!=e?(n=e,s=this.localeData(),e="string"!=typeof n?n:isNaN(n)?"number"==typeof(n=s.weekdaysParse(n))?n:null:parseInt(n,10),this.add(e-t,"d")):t):null!=e?this:NaN},o.weekday=function(e){var t;return this.isValid()?(t=(this.day()+7-this.localeData()._week.dow)%7,null==e?t:this.add(e-t,"d")):null!=e?this:NaN},o.isoWeekday=function(e){var t,n;return this.isValid()?null!=e?(t=e,n=this.localeData(),n="string"==typeof t?n.weekdaysParse(t)%7||7:isNaN(t)?null:t,this.day(this.day()%7?n:n-7)):this.day()||7:null!=e?this:NaN},o.dayOfYear=function(e){var t=Math.round((this.clone().startOf("day")-this.clone().startOf("year"))/864e5)+1;return null==e?t:this.add(e-t,"d")},o.hour=o.hours=i,o.minute=o.minutes=ue,o.second=o.seconds=me,o.millisecond=o.milliseconds=le,o.utcOffset=function(e,t,n){var s,i=this._offset||0;if(!this.isValid())return null!=e?this:NaN;if(null==e)return this._isUTC?i:qt(this);if("string"==typeof e){if(null===(e=Zt(we,e)))return this}else Math.abs(e)<16&&!n&&(e*=60);return!this._isUTC&&t&&(s=qt(this)),this._offset=e,this._isUTC=!0,null!=s&&this.add(s,"m"),i!==e&&(!t||this._changeInProgress?tn(this,C(e-i,"m"),1,!1):this._changeInProgress||(this._changeInProgress=!0,y.updateOffset(this,!0),this._changeInProgress=null)),this},o.utc=function(e){return this.utcOffset(0,e)},o.local=function(e){return this._isUTC&&(this.utcOffset(0,e),this._isUTC=!1,e)&&this.subtract(qt(this),"m"),this},o.parseZone=function(){var e;return null!=this._tzm?this.utcOffset(this._tzm,!1,!0):"string"==typeof this._i&&(null!=(e=Zt(ge,this._i))?this.utcOffset(e):this.utcOffset(0,!0)),this},o.hasAlignedHourOffset=function(e){return!!this.isValid()&&(e=e?R(e).utcOffset():0,(this.utcOffset()-e)%60==0)},o.isDST=function(){return this.utcOffset()>this.clone().month(0).utcOffset()||this.utcOffset()>this.clone().month(5).utcOffset()},o.isLocal=function(){return!!this.isValid()&&!this._isUTC},o.isUtcOffset=function(){return!!this.isValid()&&this._isUTC},o.isUtc=Bt,o.isUTC=Bt,o.zoneAbbr=function(){return this._isUTC?"UTC":""},o.zoneName=function(){return this._isUTC?"Coordinated Universal Time":""},o.dates=e("dates accessor is deprecated. Use date instead.",fe),o.months=e("months accessor is deprecated. Use month instead",Ge),o.years=e("years accessor is deprecated. Use year instead",xe),o.zone=e("moment().zone is deprecated, use moment().utcOffset instead. http://momentjs.com/guides/#/warnings/zone/",function(e,t){return null!=e?(this.utcOffset(e="string"!=typeof e?-e:e,t),this):-this.utcOffset()}),o.isDSTShifted=e("isDSTShifted is deprecated. See http://momentjs.com/guides/#/warnings/dst-shifted/ for more information",function(){var e,t;return w(this._isDSTShifted)&&(Z(e={},this),(e=Ft(e))._a?(t=(e._isUTC?l:R)(e._a),this._isDSTShifted=this.isValid()&&0<((e,t)=>{for(var n=Math.min(e.length,t.length),s=Math.abs(e.length-t.length),i=0,r=0;r<n;r++)_(e[r])!==_(t[r])&&i++;return i+s})(e._a,t.toArray())):this._isDSTShifted=!1),this._isDSTShifted});u=Xe.prototype;function pn(e,t,n,s){var i=kt(),s=l().set(s,t);return i[n](s,e)}function kn(e,t,n){if(p(e)&&(t=e,e=void 0),e=e||"",null!=t)return pn(e,t,n,"month");for(var s=[],i=0;i<12;i++)s[i]=pn(e,i,n,"month");return s}function Mn(e,t,n,s){t=("boolean"==typeof e?p(t)&&(n=t,t=void 0):(t=e,e=!1,p(n=t)&&(n=t,t=void 0)),t||"");var i,r=kt(),a=e?r._week.dow:0,o=[];if(null!=n)return pn(t,(n+a)%7,s,"day");for(i=0;i<7;i++)o[i]=pn(t,(i+a)%7,s,"day");return o}u.calendar=function(e,t,n){return h(e=this._calendar[e]||this._calendar.sameElse)?e.call(t,n):e},u.longDateFormat=function(e){var t=this._longDateFormat[e],n=this._longDateFormat[e.toUpperCase()],s=this._longDateFormatCache;if(!t&&n){if(s&&s[e]&&s[e].formatUpper===n)return s[e].format;t=n.match(ee).map(function(e){return"MMMM"===e||"MM"===e||"DD"===e||"dddd"===e?e.slice(1):e}).join(""),(s=s||(this._longDateFormatCache={}))[e]={formatUpper:n,format:t}}return t},u.invalidDate=function(){return this._invalidDate},u.ordinal=function(e){return this._ordinal.replace("%d",e)},u.preparse=wn,u.postformat=wn,u.relativeTime=function(e,t,n,s){return this.postformat(et.call(this,e,t,n,s))},u.pastFuture=function(e,t){return this.postformat(tt.call(this,e,t))},u.set=function(e){for(var t,n,s,i=this,r=e,a=0;a<Le.length;a++)c(r,s=Le[a])||delete i["_"+s];for(var o,u=this,l=e,d=0;d<Be.length;d++)c(l,o=Be[d])||delete u["_"+o];for(n in e)c(e,n)&&(h(t=e[n])?this[n]=t:this["_"+n]=t);this._config=e,this._dayOfMonthOrdinalParseLenient=new RegExp((this._dayOfMonthOrdinalParse.source||this._ordinalParse.source)+"|"+/\d{1,2}/.source)},u.eras=function(e,t){for(var n,s=this._eras||kt("en")._eras,i=0,r=s.length;i<r;++i){switch(typeof s[i].since){case"string":n=y(s[i].since).startOf("day"),s[i].since=n.valueOf();break}switch(typeof s[i].until){case"undefined":s[i].until=1/0;break;case"string":n=y(s[i].until).startOf("day").valueOf(),s[i].until=n.valueOf();break}}return s},u.erasParse=function(e,t,n){var s,i,r,a,o,u=this.eras();for(e=e.toUpperCase(),s=0,i=u.length;s<i;++s)if(r=u[s].name.toUpperCase(),a=u[s].abbr.toUpperCase(),o=u[s].narrow.toUpperCase(),n)switch(t){case"N":case"NN":case"NNN":if(a===e)return u[s];break;case"NNNN":if(r===e)return u[s];break;case"NNNNN":if(o===e)return u[s];break}else if(0<=[r,a,o].indexOf(e))return u[s]},u.erasConvertYear=function(e,t){var n=e.since<=e.until?1:-1;return void 0===t?y(e.since).year():y(e.since).year()+(t-e.offset)*n},u.erasAbbrRegex=function(e){return c(this,"_erasAbbrRegex")||fn.call(this),e?this._erasAbbrRegex:this._erasRegex},u.erasNameRegex=function(e){return c(this,"_erasNameRegex")||fn.call(this),e?this._erasNameRegex:this._erasRegex},u.erasNarrowRegex=function(e){return c(this,"_erasNarrowRegex")||fn.call(this),e?this._erasNarrowRegex:this._erasRegex},u.months=function(e,t){return e?(g(this._months)?this._months:this._months[(this._months.isFormat||He).test(t)?"format":"standalone"])[e.month()]:g(this._months)?this._months:this._months.standalone},u.monthsShort=function(e,t){return e?(g(this._monthsShort)?this._monthsShort:this._monthsShort[He.test(t)?"format":"standalone"])[e.month()]:g(this._monthsShort)?this._monthsShort:this._monthsShort.standalone},u.monthsParse=function(e,t,n){var s,i;if(this._monthsParseExact)return function(e,t,n){var s,i,r,e=e.toLocaleLowerCase();if(!this._monthsParse)for(this._monthsParse=[],this._longMonthsParse=[],this._shortMonthsParse=[],s=0;s<12;++s)r=l([2e3,s]),this._shortMonthsParse[s]=this.monthsShort(r,"").toLocaleLowerCase(),this._longMonthsParse[s]=this.months(r,"").toLocaleLowerCase();return n?"MMM"===t?-1!==(i=N.call(this._shortMonthsParse,e))?i:null:-1!==(i=N.call(this._longMonthsParse,e))?i:null:"MMM"===t?-1!==(i=N.call(this._shortMonthsParse,e))||-1!==(i=N.call(this._longMonthsParse,e))?i:null:-1!==(i=N.call(this._longMonthsParse,e))||-1!==(i=N.call(this._shortMonthsParse,e))?i:null}.call(this,e,t,n);for(this._monthsParse||(this._monthsParse=[],this._longMonthsParse=[],this._shortMonthsParse=[]),s=0;s<12;s++){if(i=l([2e3,s]),n&&!this._longMonthsParse[s]&&(this._longMonthsParse[s]=new RegExp("^"+this.months(i,"").replace(".","")+"$","i"),this._shortMonthsParse[s]=new RegExp("^"+this.monthsShort(i,"").replace(".","")+"$","i")),n||this._monthsParse[s]||(i="^"+this.months(i,"")+"|^"+this.monthsShort(i,""),this._monthsParse[s]=new RegExp(i.replace(".",""),"i")),n&&"MMMM"===t&&this._longMonthsParse[s].test(e))return s;if(n&&"MMM"===t&&this._shortMonthsParse[s].test(e))return s;if(!n&&this._monthsParse[s].test(e))return s}},u.monthsRegex=function(e){return this._monthsParseExact?(c(this,"_monthsRegex")||Ee.call(this),e?this._monthsStrictRegex:this._monthsRegex):(c(this,"_monthsRegex")||(this._monthsRegex=Fe),this._monthsStrictRegex&&e?this._monthsStrictRegex:this._monthsRegex)},u.monthsShortRegex=function(e){return this._monthsParseExact?(c(this,"_monthsRegex")||Ee.call(this),e?this._monthsShortStrictRegex:this._monthsShortRegex):(c(this,"_monthsShortRegex")||(this._monthsShortRegex=Ue),this._monthsShortStrictRegex&&e?this._monthsShortStrictRegex:this._monthsShortRegex)},u.week=function(e){return ot(e,this._week.dow,this._week.doy).week},u.firstDayOfYear=function(){return this._week.doy},u.firstDayOfWeek=function(){return this._week.dow},u.weekdays=function(e,t){return t=g(this._weekdays)?this._weekdays:this._weekdays[e&&!0!==e&&this._weekdays.isFormat.test(t)?"format":"standalone"],!0===e?Ae(t,this._week.dow):e?t[e.day()]:t},u.weekdaysMin=function(e){return!0===e?Ae(this._weekdaysMin,this._week.dow):e?this._weekdaysMin[e.day()]:this._weekdaysMin},u.weekdaysShort=function(e){return!0===e?Ae(this._weekdaysShort,this._week.dow):e?this._weekdaysShort[e.day()]:this._weekdaysShort},u.weekdaysParse=function(e,t,n){var s,i;if(this._weekdaysParseExact)return function(e,t,n){var s,i,r,e=e.toLocaleLowerCase();if(!this._weekdaysParse)for(this._weekdaysParse=[],this._shortWeekdaysParse=[],this._minWeekdaysParse=[],s=0;s<7;++s)r=l([2e3,1]).day(s),this._minWeekdaysParse[s]=this.weekdaysMin(r,"").toLocaleLowerCase(),this._shortWeekdaysParse[s]=this.weekdaysShort(r,"").toLocaleLowerCase(),this._weekdaysParse[s]=this.weekdays(r,"").toLocaleLowerCase();return n?"dddd"===t?-1!==(i=N.call(this._weekdaysParse,e))?i:null:"ddd"===t?-1!==(i=N.call(this._shortWeekdaysParse,e))?i:null:-1!==(i=N.call(this._minWeekdaysParse,e))?i:null:"dddd"===t?-1!==(i=N.call(this._weekdaysParse,e))||-1!==(i=N.call(this._shortWeekdaysParse,e))||-1!==(i=N.call(this._minWeekdaysParse,e))?i:null:"ddd"===t?-1!==(i=N.call(this._shortWeekdaysParse,e))||-1!==(i=N.call(this._weekdaysParse,e))||-1!==(i=N.call(this._minWeekdaysParse,e))?i:null:-1!==(i=N.call(this._minWeekdaysParse,e))||-1!==(i=N.call(this._weekdaysParse,e))||-1!==(i=N.call(this._shortWeekdaysParse,e))?i:null}.call(this,e,t,n);for(this._weekdaysParse||(this._weekdaysParse=[],this._minWeekdaysParse=[],this._shortWeekdaysParse=[],this._fullWeekdaysParse=[]),s=0;s<7;s++){if(i=l([2e3,1]).day(s),n&&!this._fullWeekdaysParse[s]&&(this._fullWeekdaysParse[s]=new RegExp("^"+this.weekdays(i,"").replace(".","\\.?")+"$","i"),this._shortWeekdaysParse[s]=new RegExp("^"+this.weekdaysShort(i,"").replace(".","\\.?")+"$","i"),this._minWeekdaysParse[s]=new RegExp("^"+this.weekdaysMin(i,"").replace(".","\\.?")+"$","i")),this._weekdaysParse[s]||(i="^"+this.weekdays(i,"")+"|^"+this.weekdaysShort(i,"")+"|^"+this.weekdaysMin(i,""),this._weekdaysParse[s]=new RegExp(i.replace(".",""),"i")),n&&"dddd"===t&&this._fullWeekdaysParse[s].test(e))return s;if(n&&"ddd"===t&&this._shortWeekdaysParse[s].test(e))return s;if(n&&"dd"===t&&this._minWeekdaysParse[s].test(e))return s;if(!n&&this._weekdaysParse[s].test(e))return s}},u.weekdaysRegex=function(e){return this._weekdaysParseExact?(c(this,"_weekdaysRegex")||Je.call(this),e?this._weekdaysStrictRegex:this._weekdaysRegex):(c(this,"_weekdaysRegex")||(this._weekdaysRegex=Ze),this._weekdaysStrictRegex&&e?this._weekdaysStrictRegex:this._weekdaysRegex)},u.weekdaysShortRegex=function(e){return this._weekdaysParseExact?(c(this,"_weekdaysRegex")||Je.call(this),e?this._weekdaysShortStrictRegex:this._weekdaysShortRegex):(c(this,"_weekdaysShortRegex")||(this._weekdaysShortRegex=$e),this._weekdaysShortStrictRegex&&e?this._weekdaysShortStrictRegex:this._weekdaysShortRegex)},u.weekdaysMinRegex=function(e){return this._weekdaysParseExact?(c(this,"_weekdaysRegex")||Je.call(this),e?this._weekdaysMinStrictRegex:this._weekdaysMinRegex):(c(this,"_weekdaysMinRegex")||(this._weekdaysMinRegex=qe),this._weekdaysMinStrictRegex&&e?this._weekdaysMinStrictRegex:this._weekdaysMinRegex)},u.isPM=function(e){return"p"===(e+"").toLowerCase().charAt(0)},u.meridiem=function(e,t,n){return 11<e?n?"pm":"PM":n?"am":"AM"},wt("en",{eras:[{since:"0001-01-01",until:1/0,offset:1,name:"Anno Domini",narrow:"AD",abbr:"AD"},{since:"0000-12-31",until:-1/0,offset:1,name:"Before Christ",narrow:"BC",abbr:"BC"}],dayOfMonthOrdinalParse:/\d{1,2}(th|st|nd|rd)/,ordinal:function(e){var t=e%10;return e+(1===_(e%100/10)?"th":1==t?"st":2==t?"nd":3==t?"rd":"th")}}),y.lang=e("moment.lang is deprecated. Use moment.locale instead.",wt),y.langData=e("moment.langData is deprecated. Use moment.localeData instead.",kt);var Dn=Math.abs;function vn(e,t,n,s){t=C(t,n);return e._milliseconds+=s*t._milliseconds,e._days+=s*t._days,e._months+=s*t._months,e._bubble()}function Sn(e){return e<0?Math.floor(e):Math.ceil(e)}function Yn(e){return 4800*e/146097}function On(e){return 146097*e/4800}function bn(e){return function(){return this.as(e)}}ae=bn("ms"),t=bn("s"),ce=bn("m"),oe=bn("h"),Re=bn("d"),he=bn("w"),de=bn("M"),Ie=bn("Q"),i=bn("y"),ue=ae;function xn(e){return function(){return this.isValid()?this._data[e]:NaN}}var me=xn("milliseconds"),le=xn("seconds"),fe=xn("minutes"),xe=xn("hours"),u=xn("days"),Tn=xn("months"),Nn=xn("years");var Pn=Math.round,Wn={ss:44,s:45,m:45,h:22,d:26,w:null,M:11};function Rn(e,t,n,s){var i=C(e).abs(),r=Pn(i.as("s")),a=Pn(i.as("m")),o=Pn(i.as("h")),u=Pn(i.as("d")),l=Pn(i.as("M")),d=Pn(i.as("w")),i=Pn(i.as("y")),r=(r<=n.ss?["s",r]:r<n.s&&["ss",r])||(a<=1?["m"]:a<n.m&&["mm",a])||(o<=1?["h"]:o<n.h&&["hh",o])||(u<=1?["d"]:u<n.d&&["dd",u]);return(r=(r=null!=n.w?r||(d<=1?["w"]:d<n.w&&["ww",d]):r)||(l<=1?["M"]:l<n.M&&["MM",l])||(i<=1?["y"]:["yy",i]))[2]=t,r[3]=0<+e,r[4]=s,function(e,t,n,s,i){return et.call(i,t||1,!!n,e,s)}.apply(null,r)}var Cn=Math.abs;function Hn(e){return(0<e)-(e<0)||+e}function Un(){var e,t,n,s,i,r,a,o,u,l,d;return this.isValid()?(e=Cn(this._milliseconds)/1e3,t=Cn(this._days),n=Cn(this._months),(o=this.asSeconds())?(s=m(e/60),i=m(s/60),e%=60,s%=60,r=m(n/12),n%=12,a=e?e.toFixed(3).replace(/\.?0+$/,""):"",u=Hn(this._months)!==Hn(o)?"-":"",l=Hn(this._days)!==Hn(o)?"-":"",d=Hn(this._milliseconds)!==Hn(o)?"-":"",(o<0?"-":"")+"P"+(r?u+r+"Y":"")+(n?u+n+"M":"")+(t?l+t+"D":"")+(i||s||e?"T":"")+(i?d+i+"H":"")+(s?d+s+"M":"")+(e?d+a+"S":"")):"P0D"):this.localeData().invalidDate()}var H=Et.prototype;return H.isValid=function(){return this._isValid},H.abs=function(){var e=this._data;return this._milliseconds=Dn(this._milliseconds),this._days=Dn(this._days),this._months=Dn(this._months),e.milliseconds=Dn(e.milliseconds),e.seconds=Dn(e.seconds),e.minutes=Dn(e.minutes),e.hours=Dn(e.hours),e.months=Dn(e.months),e.years=Dn(e.years),this},H.add=function(e,t){return vn(this,e,t,1)},H.subtract=function(e,t){return vn(this,e,t,-1)},H.as=function(e){if(!this.isValid())return NaN;var t,n,s=this._milliseconds;if("month"===(e=a(e))||"quarter"===e||"year"===e)switch(t=this._days+s/864e5,n=this._months+Yn(t),e){case"month":return n;case"quarter":return n/3;case"year":return n/12}else switch(t=this._days+Math.round(On(this._months)),e){case"week":return t/7+s/6048e5;case"day":return t+s/864e5;case"hour":return 24*t+s/36e5;case"minute":return 1440*t+s/6e4;case"second":return 86400*t+s/1e3;case"millisecond":return Math.floor(864e5*t)+s;default:throw new Error("Unknown unit "+e)}},H.asMilliseconds=ae,H.asSeconds=t,H.asMinutes=ce,H.asHours=oe,H.asDays=Re,H.asWeeks=he,H.asMonths=de,H.asQuarters=Ie,H.asYears=i,H.valueOf=ue,H._bubble=function(){var e=this._milliseconds,t=this._days,n=this._months,s=this._data;return 0<=e&&0<=t&&0<=n||e<=0&&t<=0&&n<=0||(e+=864e5*Sn(On(n)+t),n=t=0),s.milliseconds=e%1e3,e=m(e/1e3),s.seconds=e%60,e=m(e/60),s.minutes=e%60,e=m(e/60),s.hours=e%24,t+=m(e/24),n+=e=m(Yn(t)),t-=Sn(On(e)),e=m(n/12),n%=12,s.days=t,s.months=n,s.years=e,this},H.clone=function(){return C(this)},H.get=function(e){return e=a(e),this.isValid()?this[e+"s"]():NaN},H.milliseconds=me,H.seconds=le,H.minutes=fe,H.hours=xe,H.days=u,H.weeks=function(){return m(this.days()/7)},H.months=Tn,H.years=Nn,H.humanize=function(e,t){var n,s;return this.isValid()?(n=!1,s=Wn,"object"==typeof e&&(t=e,e=!1),"boolean"==typeof e&&(n=e),"object"==typeof t&&(s=k(k({},Wn),t||{}),null!=t.s)&&null==t.ss&&(s.ss=t.s-1),e=this.localeData(),t=Rn(this,!n,s,e),n&&(t=tt.call(e,+this,t)),e.postformat(t)):this.localeData().invalidDate()},H.toISOString=Un,H.toString=Un,H.toJSON=Un,H.locale=an,H.localeData=on,H.toIsoString=e("toIsoString() is deprecated. Please use toISOString() instead (notice the capitals)",Un),H.lang=ze,s("X",0,0,"unix"),s("x",0,0,"valueOf"),d("x",ye),d("X",/[+-]?\d+(\.\d{1,3})?/),v("X",function(e,t,n){n._d=new Date(1e3*parseFloat(e))}),v("x",function(e,t,n){n._d=new Date(_(e))}),
//! moment.js
y.version="2.31.0",U=R,y.fn=o,y.min=function(){return Vt("isBefore",[].slice.call(arguments,0))},y.max=function(){return Vt("isAfter",[].slice.call(arguments,0))},y.now=function(){return Date.now?Date.now():+new Date},y.utc=l,y.unix=function(e){return R(1e3*e)},y.months=function(e,t){return kn(e,t,"months")},y.isDate=V,y.locale=wt,y.invalid=A,y.duration=C,y.isMoment=D,y.weekdays=function(e,t,n){return Mn(e,t,n,"weekdays")},y.parseZone=function(){return R.apply(null,arguments).parseZone()},y.localeData=kt,y.isDuration=At,y.monthsShort=function(e,t){return kn(e,t,"monthsShort")},y.weekdaysMin=function(e,t,n){return Mn(e,t,n,"weekdaysMin")},y.defineLocale=pt,y.updateLocale=function(e,t){var n=gt(e),s=ft;return null!=n&&(e=n._abbr),null!=t?(null!=W[e]&&null!=W[e].parentLocale?W[e].set(Qe(W[e]._config,t)):(t=Qe(s=null!=n?n._config:s,t),null==n&&(t.abbr=e),(s=new Xe(t)).parentLocale=W[e],W[e]=s),wt(e)):null!=W[e]&&(null!=W[e].parentLocale?(W[e]=W[e].parentLocale,e===wt()&&wt(e)):null!=W[e]&&delete W[e]),W[e]},y.locales=function(){return Ke(W)},y.weekdaysShort=function(e,t,n){return Mn(e,t,n,"weekdaysShort")},y.normalizeUnits=a,y.relativeTimeRounding=function(e){return void 0===e?Pn:"function"==typeof e&&(Pn=e,!0)},y.relativeTimeThreshold=function(e,t){return void 0!==Wn[e]&&(void 0===t?Wn[e]:(Wn[e]=t,"s"===e&&(Wn.ss=t-1),!0))},y.calendarFormat=function(e,t){return(e=e.diff(t,"days",!0))<-6?"sameElse":e<-1?"lastWeek":e<0?"lastDay":e<1?"sameDay":e<2?"nextDay":e<7?"nextWeek":"sameElse"},y.prototype=o,y.HTML5_FMT={DATETIME_LOCAL:"YYYY-MM-DDTHH:mm",DATETIME_LOCAL_SECONDS:"YYYY-MM-DDTHH:mm:ss",DATETIME_LOCAL_MS:"YYYY-MM-DDTHH:mm:ss.SSS",DATE:"YYYY-MM-DD",TIME:"HH:mm",TIME_SECONDS:"HH:mm:ss",TIME_MS:"HH:mm:ss.SSS",WEEK:"GGGG-[W]WW",MONTH:"YYYY-MM"},y});
//# sourceMappingURL=moment.min.js.map

/***/ }),

/***/ 569:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// UNUSED EXPORTS: getInputs

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = require("node:os");
;// CONCATENATED MODULE: ./actions/lib/runner.ts
/**
 * The GitHub Actions runner protocol (workflow commands on stdout, GITHUB_* files), the subset the
 * actions use. It matches @actions/core byte for byte (see __tests__/runner.test.ts) but does not pull
 * in @actions/core's HTTP client, which alone costs more than a bare Node start.
 */


function toCommandValue(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string' || value instanceof String)
        return String(value);
    return JSON.stringify(value);
}
function escapeData(value) {
    return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function formatCommand(command, properties, message) {
    const props = Object.entries(properties)
        .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}
function issue(command, properties, message) {
    process.stdout.write(formatCommand(command, properties, message) + external_node_os_namespaceObject.EOL);
}
function appendFileCommand(env, name, message) {
    const path = env[`GITHUB_${name}`];
    if (!path)
        throw new Error(`Unable to find environment variable for file command ${name}`);
    if (!(0,external_node_fs_namespaceObject.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    (0,external_node_fs_namespaceObject.appendFileSync)(path, `${message}${external_node_os_namespaceObject.EOL}`, { encoding: 'utf8' });
}
/**
 * A version 4 UUID for heredoc delimiters. Reads /dev/urandom where there is one: importing node:crypto
 * (or touching globalThis.crypto) costs a small action more start-up time than all of its own work.
 */
function randomUUID() {
    const bytes = Buffer.alloc(16);
    try {
        const fd = (0,external_node_fs_namespaceObject.openSync)('/dev/urandom', 'r');
        try {
            if ((0,external_node_fs_namespaceObject.readSync)(fd, bytes, 0, 16, null) !== 16)
                return globalThis.crypto.randomUUID();
        }
        finally {
            (0,external_node_fs_namespaceObject.closeSync)(fd);
        }
    }
    catch {
        return globalThis.crypto.randomUUID();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function keyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    const converted = toCommandValue(value);
    if (key.includes(delimiter) || converted.includes(delimiter)) {
        throw new Error(`Unexpected input: the value contains the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_node_os_namespaceObject.EOL}${converted}${external_node_os_namespaceObject.EOL}${delimiter}`;
}
/** Reads an input as the runner passes it: INPUT_<NAME upper-cased, spaces as underscores>, trimmed. */
function getInput(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function setOutput(name, value, env = process.env) {
    if (env.GITHUB_OUTPUT) {
        appendFileCommand(env, 'OUTPUT', keyValueMessage(name, value));
        return;
    }
    process.stdout.write(external_node_os_namespaceObject.EOL);
    issue('set-output', { name }, toCommandValue(value));
}
function exportVariable(name, value, env = process.env) {
    process.env[name] = toCommandValue(value);
    if (env.GITHUB_ENV) {
        appendFileCommand(env, 'ENV', keyValueMessage(name, value));
        return;
    }
    issue('set-env', { name }, toCommandValue(value));
}
function saveState(name, value, env = process.env) {
    if (env.GITHUB_STATE) {
        appendFileCommand(env, 'STATE', keyValueMessage(name, value));
        return;
    }
    issue('save-state', { name }, toCommandValue(value));
}
function getState(name, env = process.env) {
    return env[`STATE_${name}`] ?? '';
}
/** Registers a value with the runner's log masker. Call before the value can reach any log line. */
function setSecret(secret) {
    if (secret)
        issue('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(message + EOL);
}
function debug(message) {
    issue('debug', {}, message);
}
function annotate(level, message, props = {}) {
    issue(level, {
        title: props.title,
        file: props.file,
        line: props.startLine,
        endLine: props.endLine,
        col: props.startColumn,
        endColumn: props.endColumn,
    }, message);
}
const error = (message, props) => annotate('error', message, props);
const warning = (message, props) => annotate('warning', message, props);
const notice = (message, props) => annotate('notice', message, props);
function startGroup(name) {
    issue('group', {}, name);
}
function endGroup() {
    issue('endgroup', {}, '');
}
/** Marks the step failed: an error annotation and a non-zero exit code, without exiting early. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Appends Markdown to the step's job summary (GITHUB_STEP_SUMMARY). Returns false when there is none. */
function appendSummary(markdown, env = process.env) {
    const path = env.GITHUB_STEP_SUMMARY;
    if (!path)
        return false;
    (0,external_node_fs_namespaceObject.appendFileSync)(path, markdown, { encoding: 'utf8' });
    return true;
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}

;// CONCATENATED MODULE: ./actions/lib/inputs.ts
/**
 * Typed action inputs. Every reader names the input and what it expected when the value is wrong, so a
 * workflow author can fix the `with:` block from the error line alone.
 */

class InputError extends Error {
    input;
    constructor(input, message) {
        super(`Input '${input}': ${message}`);
        this.input = input;
        this.name = 'InputError';
    }
}
function raw(name, { required = false, env = process.env }) {
    const value = getInput(name, env);
    if (required && value === '')
        throw new InputError(name, 'is required but was empty or not set.');
    return value;
}
function getString(name, options = {}) {
    const value = raw(name, options);
    return value === '' ? (options.default ?? '') : value;
}
/** A list separated by newlines (and commas unless `comma: false`); blank items and `#` comments dropped. */
function getList(name, options = {}) {
    const separator = options.comma === false ? /\r?\n/ : /\r?\n|,/;
    return raw(name, options)
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== '' && !item.startsWith('#'));
}
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
function getBoolean(name, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    if (TRUE.includes(value))
        return true;
    if (FALSE.includes(value))
        return false;
    throw new InputError(name, `expected true or false, got '${value}'.`);
}
function getEnum(name, allowed, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
        throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return match;
}
function getInteger(name, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${value}'.`);
    }
    return Number(value);
}
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Parses `90`, `90s`, `5m`, `1h30m`, `250ms` into milliseconds (a bare number means seconds). */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value)
        return undefined;
    return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit], 0);
}
function getDuration(name, options = {}) {
    const value = raw(name, options) || options.default || '';
    const ms = parseDuration(value);
    const { minMs = 0, maxMs = Number.MAX_SAFE_INTEGER } = options;
    if (ms === undefined || ms < minMs || ms > maxMs) {
        throw new InputError(name, `expected a duration such as 30s, 5m or 1h30m (a bare number means seconds)` +
            `${minMs > 0 || maxMs < Number.MAX_SAFE_INTEGER ? ` between ${minMs / 1000}s and ${maxMs / 1000}s` : ''}, got '${value}'.`);
    }
    return ms;
}

;// CONCATENATED MODULE: ./actions/lib/run-main.ts
/** The top of every action's main: run, and turn any error into a failed step (never process.exit). */

async function runMain(main) {
    try {
        await main();
    }
    catch (err) {
        setFailed(errorMessage(err));
    }
}

;// CONCATENATED MODULE: ./actions/lib/summary.ts
/**
 * Job summary Markdown that never exceeds GitHub's 1 MiB per step. Sections are added in priority
 * order; once the budget is nearly spent, further rows are counted and reported as "N more not shown".
 */
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Escapes text for a Markdown table cell. */
function cell(text) {
    return String(text ?? '')
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/[\r\n]+/g, ' ')
        .replace(/</g, '&lt;');
}
class SummaryBuilder {
    limitBytes;
    reserveBytes;
    parts = [];
    bytes = 0;
    omitted = 0;
    notShown = 0;
    /** `reserveBytes` is kept free for the closing lines (omission notes). */
    constructor(limitBytes = SUMMARY_LIMIT_BYTES, reserveBytes = 4096) {
        this.limitBytes = limitBytes;
        this.reserveBytes = reserveBytes;
    }
    get size() {
        return this.bytes;
    }
    /** Table rows left out so far, by `maxRows`, by the size limit, or with a whole table that did not fit. */
    get rowsNotShown() {
        return this.notShown;
    }
    fits(text) {
        return this.bytes + Buffer.byteLength(text) <= this.limitBytes - this.reserveBytes;
    }
    push(text) {
        if (!this.fits(text))
            return false;
        this.parts.push(text);
        this.bytes += Buffer.byteLength(text);
        return true;
    }
    heading(text, level = 2) {
        this.push(`${'#'.repeat(level)} ${text}\n\n`);
        return this;
    }
    paragraph(text) {
        this.push(`${text}\n\n`);
        return this;
    }
    list(items) {
        this.push(items.map((item) => `- ${item}\n`).join('') + '\n');
        return this;
    }
    /**
     * A table of as many rows as fit; `maxRows` caps it further. Rows left out are reported under the
     * table with `noun` (e.g. "findings") and `elsewhere` (e.g. "; all are in report.sarif").
     */
    table(header, rows, options = {}) {
        const { maxRows = Number.POSITIVE_INFINITY, noun = 'rows', elsewhere = '' } = options;
        const head = `| ${header.map(cell).join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`;
        if (!this.push(head)) {
            this.omitted += rows.length;
            this.notShown += rows.length;
            return this;
        }
        let shown = 0;
        for (const row of rows) {
            if (shown >= maxRows || !this.push(`| ${row.map(cell).join(' | ')} |\n`))
                break;
            shown++;
        }
        const hidden = rows.length - shown;
        this.notShown += hidden;
        this.parts.push(hidden > 0 ? `\n_${hidden} more ${noun} not shown${elsewhere}._\n\n` : '\n');
        this.bytes += Buffer.byteLength(this.parts[this.parts.length - 1]);
        return this;
    }
    /** The Markdown, with a final note when whole sections did not fit. */
    toString() {
        const tail = this.omitted > 0 ? `_${this.omitted} more entries not shown (job summary size limit)._\n` : '';
        return this.parts.join('') + tail;
    }
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/context.ts
/**
 * What the runner tells a step about the commit: GITHUB_* variables and the event payload
 * (GITHUB_EVENT_PATH). Pure: main.ts reads the payload file and passes its text in.
 */
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function parsePayload(text, path) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        throw new Error(`The event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON: ${err.message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new Error(`The event payload at GITHUB_EVENT_PATH (${path}) is not a JSON object.`);
    }
    return value;
}
/** Events whose payload carries `pull_request` and whose GITHUB_SHA is not the pull request's head. */
const isPullRequestEvent = (eventName) => eventName.startsWith('pull_request');
function readContext(env, payload, options) {
    const githubSha = (env.GITHUB_SHA ?? '').trim().toLowerCase();
    if (!githubSha) {
        throw new Error('GITHUB_SHA is not set. sha-tag reads the commit from the variables a GitHub Actions runner sets ' +
            '(GITHUB_SHA, GITHUB_REF, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH); run it as a step of a workflow job.');
    }
    if (!SHA.test(githubSha)) {
        throw new Error(`GITHUB_SHA '${githubSha}' is not a commit SHA (40 or 64 hexadecimal digits).`);
    }
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const githubRef = env.GITHUB_REF ?? '';
    let sha = githubSha;
    const headSha = payload.pull_request?.head?.sha?.toLowerCase();
    if (options.usePrHeadSha && isPullRequestEvent(eventName) && headSha) {
        if (!SHA.test(headSha)) {
            throw new Error(`The event payload's pull_request.head.sha '${headSha}' is not a commit SHA.`);
        }
        sha = headSha;
    }
    return {
        eventName,
        ref: eventName === 'pull_request_target' ? pullRequestRef(payload) : githubRef,
        githubRef,
        sha,
        githubSha,
        repository: env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '',
        serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
        payload,
    };
}
/**
 * On pull_request_target the runner sets GITHUB_REF to the base branch (refs/heads/main), yet the
 * commit comes from the pull request: tagging it as the base branch would give a fork's code the
 * default branch's tags. docker/metadata-action reads the pull request's ref instead; so does sha-tag.
 */
function pullRequestRef(payload) {
    const number = payload.number ?? payload.pull_request?.number;
    if (!Number.isSafeInteger(number) || number < 1) {
        throw new Error(`The pull_request_target event payload has no pull request number (number: ${JSON.stringify(number ?? null)}); ` +
            'sha-tag needs it to tag the pull request rather than its base branch.');
    }
    return `refs/pull/${number}/merge`;
}
/** The branch of a refs/heads/ ref, else ''. */
const branchOf = (ref) => (ref.startsWith('refs/heads/') ? ref.slice(11) : '');
/** The tag of a refs/tags/ ref, else ''. */
const tagOf = (ref) => (ref.startsWith('refs/tags/') ? ref.slice(10) : '');
/**
 * Whether the ref is the repository's default branch: the payload's repository.default_branch, or, for
 * events that always run on the default branch (schedule, issues, discussion), any branch ref.
 */
function isDefaultBranch(ctx) {
    const branch = branchOf(ctx.ref);
    if (!branch)
        return false;
    const defaultBranch = ctx.payload.repository?.default_branch;
    if (defaultBranch)
        return defaultBranch === branch;
    return /^(schedule|issues|issue_comment|discussion|discussion_comment)$/.test(ctx.eventName);
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/images.ts
/**
 * Image names: lower-cased (as docker/metadata-action does) and checked against the distribution
 * reference grammar, so a typo fails here rather than at push time.
 */

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
function validateImages(names) {
    if (names.length === 0) {
        throw new InputError('images', 'is empty; give one or more image names, one per line or comma separated, e.g. ghcr.io/octo-org/app.');
    }
    const seen = new Set();
    for (const original of names) {
        const name = original.toLowerCase();
        if (/[:@]/.test(name.replace(/^[^/]*\//, ''))) {
            throw new InputError('images', `'${original}' has a tag or digest; give the name only (e.g. ghcr.io/octo-org/app), the tags come from the 'tags' rules.`);
        }
        if (name.length > 255 || !NAME.test(name)) {
            throw new InputError('images', `'${original}' is not a valid image name; expected [registry[:port]/]path, path parts of a-z, 0-9 ` +
                `separated by '.', '_', '__' or '-', e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app.`);
        }
        seen.add(name);
    }
    return [...seen];
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/labels.ts
function buildLabels(ctx, version, created) {
    const repo = ctx.payload.repository;
    const url = repo?.html_url || (ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '');
    const title = repo?.name || ctx.repository.split('/')[1] || '';
    const labels = {
        'org.opencontainers.image.created': created.toISOString(),
        'org.opencontainers.image.revision': ctx.sha,
        'org.opencontainers.image.version': version,
    };
    if (url) {
        labels['org.opencontainers.image.source'] = url;
        labels['org.opencontainers.image.url'] = url;
    }
    if (title)
        labels['org.opencontainers.image.title'] = title;
    if (repo?.description)
        labels['org.opencontainers.image.description'] = repo.description;
    const license = repo?.license?.spdx_id;
    if (license && license !== 'NOASSERTION')
        labels['org.opencontainers.image.licenses'] = license;
    return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
const labelLines = (labels) => Object.entries(labels).map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}`);

// EXTERNAL MODULE: ./actions/sha-tag/src/load-moment.cjs
var load_moment = __nccwpck_require__(973);
var load_moment_default = /*#__PURE__*/__nccwpck_require__.n(load_moment);
;// CONCATENATED MODULE: ./actions/sha-tag/src/date-format.ts
/**
 * `{{date 'FORMAT' tz='Zone'}}`: docker/metadata-action renders it with moment-timezone, so sha-tag
 * formats with moment itself (every format token, `[literal]` and `\` escapes, the `en` locale). The
 * zone's offset comes from Intl (the runtime's IANA database) instead of moment-timezone's bundled copy,
 * which keeps the bundle small. The one token that needs moment-timezone's data, the zone abbreviation
 * (`z`, `zz`: JST, CET), is refused with an error rather than rendered empty.
 */

/** Brackets and escapes hide letters from moment's tokenizer; anything else `z`-shaped is a zone abbreviation. */
const ABBREVIATION = /\[[^[]*\]|\\[\s\S]|(zz?)/g;
/** Throws when `format` uses a token sha-tag cannot render as metadata-action would. */
function checkFormat(format) {
    for (const match of format.matchAll(ABBREVIATION)) {
        if (match[1]) {
            throw new RangeError(`format '${format}' uses the time zone abbreviation token '${match[1]}', which sha-tag does not ` +
                `render; use Z (+09:00) or ZZ (+0900) for the offset, or [${match[1]}] for the letters`);
        }
    }
}
const formatters = new Map();
function formatterFor(timeZone) {
    let formatter = formatters.get(timeZone);
    if (!formatter) {
        try {
            formatter = new Intl.DateTimeFormat('en-US', {
                timeZone,
                hourCycle: 'h23',
                era: 'short',
                year: 'numeric',
                month: 'numeric',
                day: 'numeric',
                hour: 'numeric',
                minute: 'numeric',
                second: 'numeric',
            });
        }
        catch {
            throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/Paris)`);
        }
        formatters.set(timeZone, formatter);
    }
    return formatter;
}
/** Minutes east of UTC that `timeZone` observes at `date`. */
function utcOffsetMinutes(date, timeZone) {
    if (timeZone === 'UTC')
        return 0;
    const parts = formatterFor(timeZone).formatToParts(date);
    const get = (type) => Number(parts.find((p) => p.type === type)?.value);
    const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
    const wall = new Date(0);
    wall.setUTCFullYear(bc ? 1 - get('year') : get('year'), get('month') - 1, get('day'));
    wall.setUTCHours(get('hour'), get('minute'), get('second'));
    const instant = date.getTime() - date.getUTCMilliseconds();
    return Math.round((wall.getTime() - instant) / 60_000);
}
function formatDate(date, format, timeZone = 'UTC') {
    checkFormat(format);
    // A string offset: moment reads a number between -16 and 16 as hours.
    const offset = utcOffsetMinutes(date, timeZone);
    const sign = offset < 0 ? '-' : '+';
    const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    return load_moment_default()().utc(date).utcOffset(`${sign}${hhmm}`).format(format);
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/template.ts
/**
 * The `{{ ... }}` expressions of docker/metadata-action's rule syntax (a Handlebars subset): a bare
 * name (`{{branch}}`, `{{version}}`) or a helper with one quoted argument and `key='value'` options
 * (`{{date 'YYYYMMDD' tz='Europe/Paris'}}`). Parsed once, strictly: an unknown name or a malformed
 * expression is an error that lists the accepted names, where Handlebars would print an empty string.
 */
class TemplateError extends Error {
}
// `{{{x}}}` (Handlebars' unescaped form) is the same as `{{x}}` here: tag values are never HTML-escaped.
const EXPRESSION = /\{\{\{?\s*([^{}]*?)\s*\}?\}\}/g;
const TOKEN = /\s*(?:([A-Za-z_][\w]*)\s*=\s*(?:'([^']*)'|"([^"]*)")|'([^']*)'|"([^"]*)"|([A-Za-z_][\w]*))/y;
function parseExpression(body, source) {
    const name = /^[A-Za-z_]\w*/.exec(body)?.[0];
    if (!name)
        throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
    const args = [];
    const hash = {};
    let rest = body.slice(name.length);
    while (rest.trim() !== '') {
        TOKEN.lastIndex = 0;
        const m = TOKEN.exec(rest);
        if (!m || !/^\s/.test(rest))
            throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
        if (m[1] !== undefined)
            hash[m[1]] = m[2] ?? m[3] ?? '';
        else if (m[4] !== undefined || m[5] !== undefined)
            args.push(m[4] ?? m[5] ?? '');
        else
            throw new TemplateError(`malformed expression '{{${body}}}' in '${source}': arguments must be quoted`);
        rest = rest.slice(m[0].length);
    }
    return { kind: 'expr', name, args, hash };
}
/** Parses `source`; every expression name must be in `accepted` (a name to arity-checker map). */
function compile(source, accepted) {
    const parts = [];
    let last = 0;
    for (const match of source.matchAll(EXPRESSION)) {
        if (match.index > last)
            parts.push({ kind: 'text', text: source.slice(last, match.index) });
        const part = parseExpression(match[1], source);
        const check = accepted[part.name];
        if (!check) {
            throw new TemplateError(`unknown expression '{{${match[1]}}}' in '${source}'; accepted: ${Object.keys(accepted)
                .map((n) => `{{${n}}}`)
                .join(', ')}`);
        }
        check(part);
        parts.push(part);
        last = match.index + match[0].length;
    }
    if (last < source.length)
        parts.push({ kind: 'text', text: source.slice(last) });
    const leftover = parts.find((p) => p.kind === 'text' && /\{\{|\}\}/.test(p.text));
    if (leftover)
        throw new TemplateError(`unbalanced '{{' or '}}' in '${source}'`);
    return { source, parts };
}
function render(template, values) {
    return template.parts
        .map((part) => (part.kind === 'text' ? part.text : (values[part.name]?.(part) ?? '')))
        .join('');
}
/** Checkers for `compile`. */
const noArgs = (part) => {
    if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
        throw new TemplateError(`'{{${part.name}}}' takes no arguments`);
    }
};
const dateArgs = (part) => {
    if (part.args.length !== 1) {
        throw new TemplateError(`'{{${part.name}}}' needs one quoted format, e.g. {{${part.name} 'YYYYMMDD'}}`);
    }
    const unknown = Object.keys(part.hash).filter((key) => key !== 'tz');
    if (unknown.length > 0) {
        throw new TemplateError(`'{{${part.name}}}' has unknown option '${unknown[0]}'; accepted: tz`);
    }
};

;// CONCATENATED MODULE: ./actions/sha-tag/src/rules.ts
/**
 * The `tags` and `flavor` inputs in docker/metadata-action's syntax: one rule per line, comma-separated
 * `key=value` attributes (CSV, so a value with a comma is written in double quotes). Parsing is strict:
 * an unknown type or attribute, a bad `event`/`format`/`priority`, or a malformed `{{ }}` expression
 * fails with the rule quoted and the accepted values listed.
 */



const RULE_TYPES = ['sha', 'ref', 'semver', 'raw', 'schedule', 'edge'];
const REF_EVENTS = ['branch', 'tag', 'pr'];
const SHA_FORMATS = ['short', 'long'];
/** docker/metadata-action's default priorities: higher first; the first tag is the version. */
const DEFAULT_PRIORITY = {
    schedule: 1000,
    semver: 900,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const ATTRIBUTES = {
    sha: [...COMMON, 'format'],
    ref: [...COMMON, 'event'],
    semver: [...COMMON, 'pattern', 'value'],
    raw: [...COMMON, 'value'],
    schedule: [...COMMON, 'pattern'],
    edge: [...COMMON, 'branch'],
};
/** Rules used when the `tags` input is empty. */
const DEFAULT_RULES = [
    'type=sha',
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
];
/** `{{date 'FORMAT' tz='Zone'}}`: its format is checked when the rule is read, on every event. */
function dateExpression(part) {
    dateArgs(part);
    try {
        checkFormat(part.args[0]);
    }
    catch (err) {
        throw new TemplateError(err.message);
    }
}
/** Expressions allowed in value, prefix, suffix and enable (docker/metadata-action's global expressions). */
const GLOBAL_EXPRESSIONS = {
    branch: noArgs,
    tag: noArgs,
    sha: noArgs,
    base_ref: noArgs,
    is_default_branch: noArgs,
    is_not_default_branch: noArgs,
    date: dateExpression,
};
const SEMVER_EXPRESSIONS = {
    version: noArgs,
    major: noArgs,
    minor: noArgs,
    patch: noArgs,
    raw: noArgs,
};
/** Splits one CSV record: commas separate fields, double quotes protect commas, `""` is a quote. */
function splitCsv(line) {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
            if (c === '"' && line[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (c === '"')
                quoted = false;
            else
                field += c;
        }
        else if (c === '"')
            quoted = true;
        else if (c === ',') {
            fields.push(field);
            field = '';
        }
        else
            field += c;
    }
    if (quoted)
        throw new Error('a double quote is not closed');
    fields.push(field);
    return fields.map((f) => f.trim()).filter((f) => f !== '');
}
function fail(input, source, message) {
    throw new InputError(input, `rule '${source}' ${message}`);
}
function template(input, source, attr, text, accepted) {
    try {
        return compile(text, accepted);
    }
    catch (err) {
        if (err instanceof TemplateError)
            fail(input, source, `has a bad ${attr}: ${err.message}.`);
        throw err;
    }
}
/** Parses one line of the `tags` input. */
function parseRule(line, input = 'tags') {
    const source = line.trim();
    let fields;
    try {
        fields = splitCsv(source);
    }
    catch (err) {
        fail(input, source, `is not valid CSV: ${err.message}.`);
    }
    const attrs = new Map();
    for (const field of fields) {
        const eq = field.indexOf('=');
        // A field without '=' is the value, as in docker/metadata-action (`type=raw,latest` or just `latest`).
        const key = eq < 0 ? 'value' : field.slice(0, eq).trim().toLowerCase();
        const value = eq < 0 ? field : field.slice(eq + 1).trim();
        if (attrs.has(key))
            fail(input, source, `sets '${key}' twice.`);
        attrs.set(key, value);
    }
    const type = (attrs.get('type') ?? 'raw');
    if (!RULE_TYPES.includes(type)) {
        const hint = ['pep440', 'match'].includes(type) ? ` (type=${type} is not supported by sha-tag)` : '';
        fail(input, source, `has unknown type '${type}'${hint}; accepted types: ${RULE_TYPES.join(', ')}.`);
    }
    for (const key of attrs.keys()) {
        if (!ATTRIBUTES[type].includes(key)) {
            fail(input, source, `has unknown attribute '${key}' for type=${type}; accepted: ${ATTRIBUTES[type].join(', ')}.`);
        }
    }
    const priorityText = attrs.get('priority');
    if (priorityText !== undefined && !/^-?\d+$/.test(priorityText)) {
        fail(input, source, `has priority '${priorityText}'; expected a whole number (defaults: ${defaultsText()}).`);
    }
    const base = {
        source,
        enable: template(input, source, 'enable', attrs.get('enable') ?? 'true', GLOBAL_EXPRESSIONS),
        priority: priorityText !== undefined ? Number(priorityText) : DEFAULT_PRIORITY[type],
    };
    const prefix = attrs.get('prefix');
    const suffix = attrs.get('suffix');
    if (prefix !== undefined)
        base.prefix = template(input, source, 'prefix', prefix, GLOBAL_EXPRESSIONS);
    if (suffix !== undefined)
        base.suffix = template(input, source, 'suffix', suffix, GLOBAL_EXPRESSIONS);
    switch (type) {
        case 'sha': {
            const format = attrs.get('format') ?? 'short';
            if (format !== 'short' && format !== 'long') {
                fail(input, source, `has format '${format}'; accepted: ${SHA_FORMATS.join(', ')}.`);
            }
            base.prefix ??= template(input, source, 'prefix', 'sha-', GLOBAL_EXPRESSIONS);
            return { ...base, type, format };
        }
        case 'ref': {
            const event = attrs.get('event');
            if (event === undefined)
                fail(input, source, `needs an event; accepted: event=${REF_EVENTS.join(', event=')}.`);
            if (!REF_EVENTS.includes(event)) {
                fail(input, source, `has event '${event}'; accepted: ${REF_EVENTS.join(', ')}.`);
            }
            if (event === 'pr')
                base.prefix ??= template(input, source, 'prefix', 'pr-', GLOBAL_EXPRESSIONS);
            return { ...base, type, event: event };
        }
        case 'semver': {
            const pattern = attrs.get('pattern');
            if (!pattern) {
                fail(input, source, `needs a pattern such as pattern={{version}}, pattern={{major}}.{{minor}} or pattern={{major}}.`);
            }
            const compiled = template(input, source, 'pattern', pattern, SEMVER_EXPRESSIONS);
            if (!compiled.parts.some((p) => p.kind === 'expr')) {
                fail(input, source, `has pattern '${pattern}' without any of {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.`);
            }
            const value = attrs.get('value');
            return {
                ...base,
                type,
                pattern: compiled,
                ...(value ? { value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) } : {}),
            };
        }
        case 'raw': {
            const value = attrs.get('value');
            if (value === undefined)
                fail(input, source, `needs a value, e.g. type=raw,value=latest.`);
            return { ...base, type, value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) };
        }
        case 'schedule': {
            const pattern = attrs.get('pattern') ?? 'nightly';
            return { ...base, type, pattern: template(input, source, 'pattern', pattern, GLOBAL_EXPRESSIONS) };
        }
        case 'edge':
            return { ...base, type, branch: attrs.get('branch') ?? '' };
    }
}
function defaultsText() {
    return Object.entries(DEFAULT_PRIORITY)
        .map(([type, priority]) => `${type} ${priority}`)
        .join(', ');
}
/** Parses the `tags` input lines (the defaults when there are none), sorted by priority, highest first. */
function parseRules(lines) {
    const rules = (lines.length > 0 ? lines : DEFAULT_RULES).map((line) => parseRule(line));
    return rules.sort((a, b) => b.priority - a.priority);
}
const FLAVOR_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
/** Parses the `flavor` input: `latest=auto|true|false`, `prefix=...[,onlatest=true]`, `suffix=...[,onlatest=true]`. */
function parseFlavor(lines) {
    let latest = 'auto';
    let prefix = '';
    let suffix = '';
    let prefixLatest = false;
    let suffixLatest = false;
    for (const line of lines) {
        let fields;
        try {
            fields = splitCsv(line);
        }
        catch (err) {
            throw new InputError('flavor', `entry '${line}' is not valid CSV: ${err.message}.`);
        }
        let onLatestFor;
        for (const field of fields) {
            const eq = field.indexOf('=');
            if (eq < 0) {
                throw new InputError('flavor', `entry '${field}' is not key=value; accepted keys: ${FLAVOR_KEYS.join(', ')}.`);
            }
            const key = field.slice(0, eq).trim().toLowerCase();
            const value = field.slice(eq + 1).trim();
            switch (key) {
                case 'latest':
                    if (value !== 'auto' && value !== 'true' && value !== 'false') {
                        throw new InputError('flavor', `latest='${value}'; accepted: auto, true, false.`);
                    }
                    latest = value;
                    break;
                case 'prefix':
                    prefix = value;
                    onLatestFor = 'prefix';
                    break;
                case 'suffix':
                    suffix = value;
                    onLatestFor = 'suffix';
                    break;
                case 'onlatest':
                    if (value !== 'true' && value !== 'false') {
                        throw new InputError('flavor', `onlatest='${value}'; accepted: true, false.`);
                    }
                    if (onLatestFor === undefined) {
                        throw new InputError('flavor', `onlatest must follow prefix= or suffix= on the same line ('${line}').`);
                    }
                    if (onLatestFor === 'prefix')
                        prefixLatest = value === 'true';
                    else
                        suffixLatest = value === 'true';
                    break;
                default:
                    throw new InputError('flavor', `unknown key '${key}' in '${line}'; accepted keys: ${FLAVOR_KEYS.join(', ')}.`);
            }
        }
    }
    const compileFlavor = (attr, text) => {
        try {
            return compile(text, GLOBAL_EXPRESSIONS);
        }
        catch (err) {
            throw new InputError('flavor', `${attr}='${text}': ${err.message}.`);
        }
    };
    return {
        latest,
        prefix: compileFlavor('prefix', prefix),
        suffix: compileFlavor('suffix', suffix),
        prefixLatest,
        suffixLatest,
    };
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/semver.ts
/**
 * A strict SemVer 2.0.0 parser, the subset of the `semver` package that tag rules need: a leading `v`
 * is allowed (as `semver.valid` allows it), numeric parts must be safe integers, at most 256 characters.
 * Written out instead of bundling `semver` to keep the action's cold start small; the tests check it
 * against the `semver` package.
 */
const NUM = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUM}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const FULL = new RegExp(`^v?(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
function parseSemver(text) {
    if (text.length > 256)
        return undefined;
    const m = FULL.exec(text.trim());
    if (!m)
        return undefined;
    const [major, minor, patch] = [m[1], m[2], m[3]].map(Number);
    if (![major, minor, patch].every(Number.isSafeInteger))
        return undefined;
    const prerelease = m[4] ? m[4].split('.') : [];
    const build = m[5] ? m[5].split('.') : [];
    const version = `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}`;
    return { raw: text, major, minor, patch, prerelease, build, version };
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/tags.ts
/**
 * Tag computation with docker/metadata-action's semantics: rules in priority order, the first value is
 * the version, later distinct values follow, and `latest` is decided by the first rule that yields a
 * value (flavor latest=auto: true for a non-pre-release semver tag and for type=ref,event=tag). On top:
 * the sha tag is always present (it is the immutable one to deploy), values follow the OCI tag grammar.
 */





const OCI_TAG_MAX = 128;
/** Maps a value onto `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`: invalid runs become '-', as docker/metadata-action does. */
function sanitizeTag(value) {
    return value
        .replace(/[^a-zA-Z0-9._-]+/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, OCI_TAG_MAX);
}
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function shortSha(sha, length) {
    return length >= sha.length ? sha : sha.slice(0, length);
}
function computeTags(rules, flavor, ctx, options) {
    const short = shortSha(ctx.sha, options.shaLength);
    const defaultBranch = isDefaultBranch(ctx);
    const warnings = [];
    const date = (part, rule) => {
        try {
            return formatDate(options.now, part.args[0] ?? '', part.hash.tz ?? 'UTC');
        }
        catch (err) {
            throw new InputError('tags', `rule '${rule}': ${err.message}.`);
        }
    };
    const globals = (rule) => ({
        branch: () => branchOf(ctx.ref),
        tag: () => tagOf(ctx.ref),
        sha: () => short,
        base_ref: () => {
            if (tagOf(ctx.ref) && ctx.payload.base_ref)
                return ctx.payload.base_ref.replace(/^refs\/heads\//, '');
            if (ctx.ref.startsWith('refs/pull/'))
                return ctx.payload.pull_request?.base?.ref ?? '';
            return '';
        },
        is_default_branch: () => String(defaultBranch),
        is_not_default_branch: () => String(!defaultBranch),
        date: (part) => date(part, rule),
    });
    const expand = (t, rule) => render(t, globals(rule));
    const withAffixes = (value, rule) => {
        const prefix = rule.prefix ? expand(rule.prefix, rule.source) : expand(flavor.prefix, rule.source);
        const suffix = rule.suffix ? expand(rule.suffix, rule.source) : expand(flavor.suffix, rule.source);
        return `${prefix}${value}${suffix}`;
    };
    let main;
    const partial = [];
    let latest;
    let isPrerelease = false;
    let immutableTag;
    const add = (rule, raw, autoLatest) => {
        if (raw.length === 0)
            return undefined;
        const value = sanitizeTag(raw);
        if (!OCI_TAG.test(value)) {
            warnings.push(`rule '${rule.source}': '${raw}' has no character valid in a tag; no tag from it.`);
            return undefined;
        }
        if (main === undefined)
            main = value;
        else if (value !== main && !partial.includes(value))
            partial.push(value);
        latest ??= flavor.latest === 'auto' ? autoLatest : flavor.latest === 'true';
        return value;
    };
    for (const rule of rules) {
        const enabled = expand(rule.enable, rule.source);
        if (enabled !== 'true' && enabled !== 'false') {
            throw new InputError('tags', `rule '${rule.source}' has enable='${enabled}'; expected true or false.`);
        }
        if (enabled === 'false')
            continue;
        switch (rule.type) {
            case 'sha': {
                const value = add(rule, withAffixes(rule.format === 'long' ? ctx.sha : short, rule), false);
                immutableTag ??= value;
                break;
            }
            case 'ref': {
                if (rule.event === 'branch' && branchOf(ctx.ref))
                    add(rule, withAffixes(branchOf(ctx.ref), rule), false);
                if (rule.event === 'tag' && tagOf(ctx.ref))
                    add(rule, withAffixes(tagOf(ctx.ref), rule), true);
                if (rule.event === 'pr' && ctx.ref.startsWith('refs/pull/')) {
                    add(rule, withAffixes(ctx.ref.slice(10).replace(/\/merge$/, ''), rule), false);
                }
                break;
            }
            case 'semver': {
                const raw = rule.value ? expand(rule.value, rule.source) : tagOf(ctx.ref).replace(/\//g, '-');
                if (!raw)
                    break;
                const version = parseSemver(raw);
                if (!version) {
                    warnings.push(`rule '${rule.source}': '${raw}' is not a valid semver version (https://semver.org); no tag from it.`);
                    break;
                }
                const fields = semverFields(version);
                const pre = version.prerelease.length > 0;
                // A pre-release gets only its full version: 1.2.3-rc.1 must not move the 1.2 or 1 tags.
                const pattern = pre && !isRawOnly(rule.pattern) ? '{{version}}' : undefined;
                const value = pattern === undefined ? render(rule.pattern, fields) : version.version;
                if (add(rule, withAffixes(value, rule), !pre) !== undefined && pre)
                    isPrerelease = true;
                break;
            }
            case 'raw':
                add(rule, withAffixes(expand(rule.value, rule.source), rule), false);
                break;
            case 'schedule':
                if (ctx.eventName === 'schedule')
                    add(rule, withAffixes(expand(rule.pattern, rule.source), rule), false);
                break;
            case 'edge': {
                const branch = branchOf(ctx.ref);
                const target = rule.branch || ctx.payload.repository?.default_branch;
                if (branch && branch === target)
                    add(rule, withAffixes('edge', rule), false);
                break;
            }
        }
    }
    // The sha tag is always there: it is the one tag that never moves to another commit.
    if (immutableTag === undefined) {
        immutableTag = sanitizeTag(`sha-${short}`);
        if (main === undefined)
            main = immutableTag;
        else if (immutableTag !== main && !partial.includes(immutableTag))
            partial.push(immutableTag);
    }
    const refVersion = parseSemver(tagOf(ctx.ref));
    if (refVersion && refVersion.prerelease.length > 0)
        isPrerelease = true;
    const isLatest = latest === true;
    const tagNames = [main, ...partial];
    if (isLatest) {
        const latestName = sanitizeTag(`${flavor.prefixLatest ? expand(flavor.prefix, 'flavor') : ''}latest${flavor.suffixLatest ? expand(flavor.suffix, 'flavor') : ''}`);
        if (!tagNames.includes(latestName))
            tagNames.push(latestName);
    }
    const tags = options.images.flatMap((image) => tagNames.map((name) => `${image}:${name}`));
    return {
        version: main,
        tagNames,
        tags,
        shortSha: short,
        immutableTag,
        isDefaultBranch: defaultBranch,
        isPrerelease,
        isLatest,
        warnings,
    };
}
function semverFields(v) {
    return {
        version: () => v.version,
        major: () => String(v.major),
        minor: () => String(v.minor),
        patch: () => String(v.patch),
        raw: () => v.raw,
    };
}
/** A pattern that is exactly `{{raw}}` keeps the raw tag even for a pre-release (docker/metadata-action). */
function isRawOnly(t) {
    return t.parts.length === 1 && t.parts[0].kind === 'expr' && t.parts[0].name === 'raw';
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/main.ts
/**
 * sha-tag: image tags and OCI labels for the current commit, from the runner's variables and the event
 * payload. No network call; no @actions/* import (actions/lib/runner.ts speaks the runner protocol).
 */










function getInputs(env = process.env) {
    return {
        images: validateImages(getList('images', { env })),
        rules: parseRules(getList('tags', { env, comma: false })),
        flavor: parseFlavor(getList('flavor', { env, comma: false })),
        shaLength: getInteger('sha-length', { env, default: 7, min: 1, max: 64 }),
        usePrHeadSha: getBoolean('use-pr-head-sha', { env, default: true }),
    };
}
/**
 * Plain log lines straight to fd 1. runner.ts's info() goes through process.stdout, whose first use
 * builds a stream object (for the runner's pipe, 5-10 ms: a quarter of a bare node start). Both are
 * synchronous on Linux, so lines stay in order with the workflow commands runner.ts writes.
 */
function log(lines) {
    const text = Buffer.from(lines.join('\n') + '\n');
    for (let offset = 0; offset < text.length;) {
        try {
            offset += (0,external_node_fs_namespaceObject.writeSync)(1, text, offset);
        }
        catch (err) {
            if (err.code !== 'EAGAIN')
                throw err;
        }
    }
}
function readPayload(env) {
    const path = env.GITHUB_EVENT_PATH;
    if (!path)
        return {};
    let text;
    try {
        text = (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new Error(`Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${err.message}`);
    }
    return parsePayload(text, path);
}
async function run(env = process.env, now = () => new Date()) {
    await runMain(async () => {
        const inputs = getInputs(env);
        const ctx = readContext(env, readPayload(env), { usePrHeadSha: inputs.usePrHeadSha });
        const created = now();
        const result = computeTags(inputs.rules, inputs.flavor, ctx, {
            images: inputs.images,
            shaLength: inputs.shaLength,
            now: created,
        });
        for (const line of result.warnings)
            warning(line);
        const labels = buildLabels(ctx, result.version, created);
        log([
            `event ${ctx.eventName || '(none)'}, ref ${ctx.ref || '(none)'}, commit ${ctx.sha}`,
            ...(ctx.ref !== ctx.githubRef
                ? [`pull request ref ${ctx.ref} (GITHUB_REF ${ctx.githubRef || '(none)'} is the base branch)`]
                : []),
            ...(ctx.sha !== ctx.githubSha
                ? [`pull request head ${ctx.sha} (GITHUB_SHA is the merge commit ${ctx.githubSha})`]
                : []),
            ...result.tags,
        ]);
        const immutableRef = `${inputs.images[0]}:${result.immutableTag}`;
        setOutput('tags', result.tags.join('\n'), env);
        setOutput('tag-names', result.tagNames.join('\n'), env);
        setOutput('version', result.version, env);
        setOutput('sha', ctx.sha, env);
        setOutput('short-sha', result.shortSha, env);
        setOutput('immutable-tag', result.immutableTag, env);
        setOutput('immutable-ref', immutableRef, env);
        setOutput('is-default-branch', String(result.isDefaultBranch), env);
        setOutput('is-prerelease', String(result.isPrerelease), env);
        setOutput('is-latest', String(result.isLatest), env);
        setOutput('labels', labelLines(labels).join('\n'), env);
        setOutput('json', JSON.stringify({
            tags: result.tags,
            labels,
            version: result.version,
            sha: ctx.sha,
            immutableTag: result.immutableTag,
            immutableRef,
            isDefaultBranch: result.isDefaultBranch,
            isPrerelease: result.isPrerelease,
            isLatest: result.isLatest,
        }), env);
        const summary = new SummaryBuilder()
            .heading('sha-tag')
            .paragraph(`Version \`${result.version}\`, immutable tag \`${immutableRef}\`.`)
            .table(['tag'], result.tags.map((tag) => [tag]), { noun: 'tags' })
            .table(['label', 'value'], Object.entries(labels), { noun: 'labels' });
        appendSummary(summary.toString(), env);
    });
}


/***/ }),

/***/ 973:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

// moment is required on first use, not at start: loading it costs 3-4 ms of CPU (a bare node start is
// about 25 ms) and most runs render no {{date}}. A CommonJS require stays lazy in the bundle; an ES
// import would be evaluated when the bundle starts.
let moment;
module.exports = function loadMoment() {
  return (moment ??= __nccwpck_require__(637));
};


/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			id: moduleId,
/******/ 			loaded: false,
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Flag the module as loaded
/******/ 		module.loaded = true;
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/asset-relocator-loader */
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/compat get default export */
/******/ 	(() => {
/******/ 		// getDefaultExport function for compatibility with non-harmony modules
/******/ 		__nccwpck_require__.n = (module) => {
/******/ 			var getter = module && module.__esModule ?
/******/ 				() => (module['default']) :
/******/ 				() => (module);
/******/ 			__nccwpck_require__.d(getter, { a: getter });
/******/ 			return getter;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/node module decorator */
/******/ 	(() => {
/******/ 		__nccwpck_require__.nmd = (module) => {
/******/ 			module.paths = [];
/******/ 			if (!module.children) module.children = [];
/******/ 			return module;
/******/ 		};
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// The CommonJS entry of the bundle (see scripts/build-actions.mjs): sha-tag runs in every build, and a
// CommonJS bundle starts faster than an ES module one.
(__nccwpck_require__(569)/* .run */ .e)();

module.exports = __webpack_exports__;
/******/ })()
;
//# sourceMappingURL=index.js.map
