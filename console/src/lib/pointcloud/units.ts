// Distances in words with the file's own unit (ScanAce reports the CRS's linear unit by name).

const symbols: Record<string, string> = { metre: 'm', meter: 'm', foot: 'ft', 'US survey foot': 'US survey ft' };

export function distanceInWords(distance: number, units: string | null): string {
  const value = distance.toLocaleString('en', { maximumFractionDigits: 3 });
  if (!units) return `${value} (in the file's units, which it does not name)`;
  return `${value} ${symbols[units] ?? units}`;
}

export const count = (n: number) => n.toLocaleString('en');
