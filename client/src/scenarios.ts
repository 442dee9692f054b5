// The NIC's built-in scenarios by their contract names (issue 3). Pure: the manifest test checks
// package.json's enums against this list, and the run command offers it when the NIC has no list.
export const builtinScenarios = ["default", "tx-timeout", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug", "protocol-fuzz"] as const;

export type BuiltinScenario = (typeof builtinScenarios)[number];
