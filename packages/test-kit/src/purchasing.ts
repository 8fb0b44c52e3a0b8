// Test factories of the purchasing module: build fixtures through the module's real services.
export {};
