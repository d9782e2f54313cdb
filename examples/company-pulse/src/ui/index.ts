// The Company Pulse UI bundle entry: one named export per manifest slot `exportName`.
export { CompanyPulsePanel, CompanyPulseWidget } from "./slots.js";
