// Test factories of the catalog module: build fixtures through the module's real services.
export {};
