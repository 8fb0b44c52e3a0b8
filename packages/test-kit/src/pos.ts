// Test factories of the pos module: build fixtures through the module's real services.
export {};
