// Public API of the pricing module: other modules import only this file.
export {};
