"""Model bundles (.safetensors) and the published checkpoint layout."""
