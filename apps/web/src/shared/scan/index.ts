export { CameraScanner } from './CameraScanner';
export { applyScan, decOrZero, factorOf, type ScanApplied, type ScannableLine, scannedQtyIn } from './lines';
export { lookupScan, ScanError, type ScanFailure, type ScanHit } from './lookup';
export { scanMessages } from './messages';
export { ScanBox, type ScanBoxProps, type ScanOutcome } from './ScanBox';
export { type Burst, WedgeBurst, type WedgeOptions } from './wedge';
