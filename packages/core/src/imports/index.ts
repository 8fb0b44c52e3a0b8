// Public API of the imports module: other modules import only this file.
export {};
