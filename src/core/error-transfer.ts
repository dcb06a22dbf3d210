/**
 * Errors that cross a comlink boundary keep their `errorCode`: comlink's own "throw" handler
 * sends only message, name and stack, so an MlflowError thrown in a worker would arrive as a bare Error.
 */
import { transferHandlers, type TransferHandler } from 'comlink'
import { type ErrorCode, HTTP_STATUS, MlflowError } from './errors.ts'

interface SerializedError { message: string; name: string; stack?: string; errorCode?: string }
type SerializedThrow = { isError: true; value: SerializedError } | { isError: false; value: unknown }

const installed = Symbol.for('lablog.errorTransfer')

const isKnownCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in HTTP_STATUS

/** Rebuilds an error on the receiving side: an MlflowError (same code and message) when it was one. */
export function deserializeError(serialized: SerializedError): Error {
  const error = isKnownCode(serialized.errorCode)
    ? new MlflowError(serialized.errorCode, serialized.message)
    : Object.assign(new Error(serialized.message), { name: serialized.name })
  if (serialized.stack) error.stack = serialized.stack
  return error
}

/** What is sent for a thrown error: plain fields that structured clone keeps, errorCode included. */
export function serializeError(error: Error): SerializedError {
  const errorCode = (error as { errorCode?: unknown }).errorCode
  return {
    message: error.message,
    name: error.name,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof errorCode === 'string' ? { errorCode } : {}),
  }
}

/**
 * Replaces comlink's "throw" transfer handler with one that keeps errorCode. Both sides must call
 * it (the worker serializes, the window deserializes); calling it again does nothing.
 */
export function installErrorTransfer(): void {
  const original = transferHandlers.get('throw') as (TransferHandler<unknown, unknown> & { [installed]?: true }) | undefined
  if (!original || original[installed]) return
  const handler: TransferHandler<{ value: unknown }, SerializedThrow> & { [installed]: true } = {
    [installed]: true,
    // comlink marks thrown values with a private symbol: its own test recognises them.
    canHandle: (value: unknown): value is { value: unknown } => original.canHandle(value),
    serialize({ value }) {
      const serialized: SerializedThrow = value instanceof Error ? { isError: true, value: serializeError(value) } : { isError: false, value }
      return [serialized, []]
    },
    deserialize(serialized) {
      if (serialized.isError) throw deserializeError(serialized.value)
      throw serialized.value
    },
  }
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>)
}
