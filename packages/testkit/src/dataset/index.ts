export { describeDataset, type DescribeDatasetOptions } from './describe-dataset.js';
