// Types for vite-plugin-pwa's virtual registration module.
/// <reference types="vite-plugin-pwa/vanillajs" />
