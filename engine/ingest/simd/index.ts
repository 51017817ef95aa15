// AssemblyScript entry: the one WebAssembly module of the ingest (see ../wasm-scanner.ts).
export { allocate, bind, bytesEqual, scanRecord } from './record-scanner';
export { bindColumns, bindCurrency, bindRow, readRowFields } from './row-fields';
