// The frames of a spin: one photo each (a thumbnail large enough for the viewer), loaded before the turn starts so
// dragging never waits on the network.

export interface SpinFrame {
  /** The photo's address (a short-lived URL on the object store). */
  url: string;
  /** Where round the vehicle it was taken, in degrees; null when the photo has none. */
  angle: number | null;
  /** The shot's name, if it has one. */
  name: string | null;
}

/** Every frame's image, decoded; null for one that failed to load. */
export function loadFrames(frames: SpinFrame[]): Promise<(HTMLImageElement | null)[]> {
  return Promise.all(
    frames.map(
      (frame) =>
        new Promise<HTMLImageElement | null>((resolve) => {
          const image = new Image();
          image.decoding = 'async';
          image.onload = () => resolve(image);
          image.onerror = () => resolve(null);
          image.src = frame.url;
        }),
    ),
  );
}
