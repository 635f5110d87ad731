// astram-simnet: the network simulator (runner in src/, report in src/report/).
export {};
