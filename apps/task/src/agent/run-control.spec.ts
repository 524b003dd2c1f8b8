import { RunControl, RunStoppedError } from './run-control';

describe(RunControl.name, () => {
  it('aborts with the first reason and tells of a cancel once', () => {
    const onCancelRequested = jest.fn();
    const sut = new RunControl({ onCancelRequested });
    sut.stop('cancel');
    sut.stop('timeout');
    expect(sut.signal.aborted).toBe(true);
    expect(sut.reason).toBe('cancel');
    expect(onCancelRequested).toHaveBeenCalledTimes(1);
    expect(() => sut.throwIfStopped()).toThrow(RunStoppedError);
  });

  it('holds while paused until resumed or stopped', async () => {
    const onPauseRequested = jest.fn();
    const sut = new RunControl({ onPauseRequested });
    expect(sut.requestPause()).toBe(true);
    expect(sut.requestPause()).toBe(false);
    const held = sut.whilePaused();
    expect(sut.requestResume()).toBe(true);
    await held;
    sut.requestPause();
    const again = sut.whilePaused();
    sut.stop('shutdown');
    await again;
    expect(onPauseRequested).toHaveBeenCalledTimes(2);
    expect(sut.reason).toBe('shutdown');
  });
});
