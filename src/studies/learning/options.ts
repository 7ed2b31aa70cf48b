/** The options every learning run shares (perceptron and linear model, CLI and pages). */

import type { InputKind } from '../../models/weights/datasets.ts';
import type { DeviceOpener } from './backends.ts';
import type { Checkpointer } from '../checkpoint.ts';

/** Temperatures the learning estimates stay finite at (ln Z sums β·loss; 1e-6 is already frozen). */
export const LEARN_T_MIN = 1e-6;
export const LEARN_T_MAX = 1e6;

/** What every learning run takes: the dataset shape, the chains and the run lengths. */
export interface LearnRunOptions {
  /** Number of weights. */
  N: number;
  inputs: InputKind;
  /** Independent chains per dataset (pairs of them give the replica overlap). */
  perT: number;
  /** Number of datasets (disorder samples). */
  samples: number;
  sweeps: number;
  thermalize: number;
  seed: number;
  /** Sampler backend ('cpu' or 'gpu'). */
  backend: string;
  /** Opens the device of backend 'gpu' (the caller owns it). */
  device?: DeviceOpener;
  onProgress?: (done: number, total: number) => void;
  /** Where the sampling saves its state between chunks, and its task name there (--checkpoint). */
  checkpoint?: { session: Checkpointer; key: string };
}
