/** A recording in progress: the microphone is open and every sample is kept. */
export interface Recording {
  /** Stops and returns what was recorded (webm/opus in Chromium, mp4 in Safari). */
  stop(): Promise<Blob>;
  /** Stops and throws the audio away. */
  cancel(): void;
}

/**
 * Opens the microphone and starts MediaRecorder before resolving, so the caller shows
 * "listening" only once the first words can no longer be lost. `onLevel` gets 0..1 about 30
 * times a second from an AnalyserNode (RMS of the waveform), for the level meter.
 */
export async function startRecording(onLevel: (level: number) => void): Promise<Recording> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot record audio here (a microphone needs https or localhost).');
  }
  // Made before the first await, while the tap still counts as a user gesture (iOS starts it suspended otherwise).
  const context = new AudioContext();
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (error) {
    void context.close();
    throw error;
  }
  void context.resume();
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size) chunks.push(e.data);
  };
  recorder.start(250);

  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let frame = 0;
  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
    frame = requestAnimationFrame(tick);
  };
  tick();

  const release = () => {
    cancelAnimationFrame(frame);
    onLevel(0);
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  return {
    stop: () =>
      new Promise<Blob>((resolve) => {
        recorder.onstop = () => {
          release();
          resolve(new Blob(chunks, { type: recorder.mimeType || 'audio/webm' }));
        };
        recorder.stop();
      }),
    cancel() {
      recorder.onstop = null;
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}
