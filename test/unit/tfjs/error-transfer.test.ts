// Errors crossing comlink keep their errorCode once the transfer handler is installed (both ends share it here).
import { expose, wrap } from 'comlink'
import { describe, expect, it } from 'vitest'
import { installErrorTransfer } from '../../../src/core/error-transfer.ts'
import { MlflowError } from '../../../src/core/errors.ts'

function connect<T>(api: T) {
  const { port1, port2 } = new MessageChannel()
  expose(api, port1 as never)
  const remote = wrap<T>(port2 as never)
  return { remote, close: () => { port1.close(); port2.close() } }
}

describe('installErrorTransfer', () => {
  it('delivers an MlflowError thrown on the other side as an MlflowError with the same code and message', async () => {
    installErrorTransfer()
    installErrorTransfer() // a second call changes nothing
    const { remote, close } = connect({
      fail() { throw new MlflowError('RESOURCE_DOES_NOT_EXIST', 'Run with id=abc not found') },
      async failLater() { throw new MlflowError('INVALID_STATE', 'later') },
      plain() { throw new TypeError('plain failure') },
      value() { throw 'just a string' },
    })
    const error = await (remote.fail() as Promise<unknown>).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MlflowError)
    expect(error).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=abc not found', httpStatus: 404 })
    expect((error as Error).stack).toContain('Run with id=abc not found')
    await expect(remote.failLater()).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    const plain = await (remote.plain() as Promise<unknown>).catch((caught: unknown) => caught)
    expect(plain).not.toBeInstanceOf(MlflowError)
    expect(plain).toMatchObject({ name: 'TypeError', message: 'plain failure' })
    await expect(remote.value()).rejects.toBe('just a string')
    close()
  })
})
