// Public API of the logging subsystem.

export { csvField, csvRow, LOG_COLUMNS, parseCsv } from "./csv.js";
export { CsvLogFile, type CsvLogFileOptions } from "./csv-log-file.js";
export { consoleLine, isoTimestamp, type LogLevel, utcDay } from "./format.js";
export { entryScriptPath, instanceId, instanceIdFor } from "./instance-id.js";
export { defaultLogDirectory } from "./log-directory.js";
export { callerOrigin, disabledLogger, NodeLogger, type NodeLoggerOptions } from "./node-logger.js";
