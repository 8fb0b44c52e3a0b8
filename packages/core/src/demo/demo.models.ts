/** The demo chain's orgs, handed to each module's demo seed. */
export interface DemoChain {
  companyId: number;
  hqId: number;
  dcId: number;
  dcWarehouseId: number;
  retailCentreId: number;
  stores: { id: number; code: string; name: string; warehouseId: number; franchise: boolean }[];
}
