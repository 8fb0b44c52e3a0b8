// Public API of the partners module: other modules import only this file.
export {};
