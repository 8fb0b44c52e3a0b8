// Test factories of the inventory module: build fixtures through the module's real services.
export {};
