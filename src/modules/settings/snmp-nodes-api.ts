// The shapes moved to src/common for the web app's SNMP settings screen; the module's imports stay as they were.
export * from '../../common/api/snmp-settings.js';
