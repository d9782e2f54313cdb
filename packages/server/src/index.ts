export const HOST_VERSION = "0.1.0";
