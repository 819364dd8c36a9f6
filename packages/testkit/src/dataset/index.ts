export { describeDataset, type DescribeDatasetOptions } from './describe-dataset.js';
export {
  cifarFixtureByte,
  writeCifar100Fixture,
  writeCifar10Fixture,
  type Cifar100FixtureOptions,
  type Cifar10FixtureOptions,
} from './cifar-fixture.js';
