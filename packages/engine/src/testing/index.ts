export { describeStoreContract, instance as contractInstance, type StoreContractOptions } from './store-contract.js';
