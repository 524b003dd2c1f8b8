import { RunControl, RunStoppedError } from './run-control';

describe(RunControl.name, () => {
  const announcements = () => ({ held: jest.fn().mockResolvedValue(undefined), resumed: jest.fn().mockResolvedValue(undefined) });

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

  it('withdraws a pause resumed before the run held, and says so once', async () => {
    const onPauseWithdrawn = jest.fn();
    const sut = new RunControl({ onPauseWithdrawn });
    const announce = announcements();
    sut.requestPause();

    expect(sut.requestResume()).toBe(true);
    expect(sut.requestResume()).toBe(false);
    await sut.holdWhilePaused(announce);

    expect(onPauseWithdrawn).toHaveBeenCalledTimes(1);
    expect(announce.held).not.toHaveBeenCalled();
    expect(announce.resumed).not.toHaveBeenCalled();
    expect(sut.pauseRequested).toBe(false);
  });

  it('announces a hold once for every boundary reached together, and its end after the resume', async () => {
    const onPauseWithdrawn = jest.fn();
    const sut = new RunControl({ onPauseWithdrawn });
    const announce = announcements();
    sut.requestPause();

    const first = sut.holdWhilePaused(announce);
    const second = sut.holdWhilePaused(announce);
    await Promise.resolve();
    expect(announce.held).toHaveBeenCalledTimes(1);
    sut.requestResume();
    await Promise.all([first, second]);

    expect(announce.resumed).toHaveBeenCalledTimes(1);
    expect(announce.held.mock.invocationCallOrder[0]).toBeLessThan(announce.resumed.mock.invocationCallOrder[0]);
    expect(onPauseWithdrawn).not.toHaveBeenCalled();
  });

  it('ends a hold without announcing a resume when the run stops', async () => {
    const sut = new RunControl();
    const announce = announcements();
    sut.requestPause();

    const held = sut.holdWhilePaused(announce);
    sut.stop('cancel');
    await held;

    expect(announce.held).toHaveBeenCalledTimes(1);
    expect(announce.resumed).not.toHaveBeenCalled();
  });

  it('counts every change of the pause state, so a reading taken meanwhile can be told apart', () => {
    const sut = new RunControl();
    const before = sut.pauseVersion;
    sut.requestPause();
    sut.requestPause();
    expect(sut.pauseVersion).toBe(before + 1);
    sut.requestResume();
    expect(sut.pauseVersion).toBe(before + 2);
  });
});
