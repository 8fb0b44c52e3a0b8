// Public API of the purchasing module: other modules import only this file.
export {};
