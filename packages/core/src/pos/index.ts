// Public API of the pos module: other modules import only this file.
export {};
