export { describeStoreContract, type StoreContractOptions } from './store-contract.js';
