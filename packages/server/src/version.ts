/** The host's version, reported by /api/health and `paperclip --version`. */
export const HOST_VERSION = "0.1.0";
