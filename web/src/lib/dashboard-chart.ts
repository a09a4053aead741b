import uPlot from 'uplot';

/** How a series is told apart without colour: a fill pattern (bars) or a dash (lines). */
export type Pattern = 'solid' | 'hatch' | 'dots' | 'cross' | 'rows';

/** One series of a chart: the key of its values in the data, its words, colour and pattern. */
export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS colour or a `--variable` of the theme. */
  color: string;
  pattern: Pattern;
  /** Lines only: a dash pattern, e.g. [6, 4]. */
  dash?: number[];
  /** A level rather than an amount (a budget): the legend shows its value, not a sum. */
  level?: boolean;
}

/** Columnar data: `t` (Unix seconds) and one array per series key. */
export type ChartData = { t: number[] } & Record<string, (number | null)[]>;

/** Resolves `--good` and the like against the page's theme. */
export function themeColor(color: string): string {
  if (!color.startsWith('--')) return color;
  return getComputedStyle(document.documentElement).getPropertyValue(color).trim() || '#888';
}

/** A canvas pattern in `color`: solid, diagonal hatch, dots, cross-hatch or horizontal rows. */
export function fillPattern(
  ctx: CanvasRenderingContext2D,
  pattern: Pattern,
  color: string,
): CanvasPattern | string {
  if (pattern === 'solid') return color;
  const size = 8 * devicePixelRatio;
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const g = tile.getContext('2d')!;
  g.fillStyle = color;
  g.globalAlpha = 0.25;
  g.fillRect(0, 0, size, size);
  g.globalAlpha = 1;
  g.strokeStyle = color;
  g.lineWidth = 1.6 * devicePixelRatio;
  g.beginPath();
  if (pattern === 'hatch' || pattern === 'cross') {
    g.moveTo(0, size);
    g.lineTo(size, 0);
    g.moveTo(-size / 2, size / 2);
    g.lineTo(size / 2, -size / 2);
    g.moveTo(size / 2, size * 1.5);
    g.lineTo(size * 1.5, size / 2);
  }
  if (pattern === 'cross') {
    g.moveTo(0, 0);
    g.lineTo(size, size);
  }
  if (pattern === 'rows') {
    g.moveTo(0, size / 2);
    g.lineTo(size, size / 2);
  }
  g.stroke();
  if (pattern === 'dots') {
    g.fillStyle = color;
    g.beginPath();
    g.arc(size / 2, size / 2, 1.6 * devicePixelRatio, 0, Math.PI * 2);
    g.fill();
  }
  return ctx.createPattern(tile, 'repeat') ?? color;
}

/** Sums series bottom-up, so bars drawn tallest first read as a stack. */
export function stack(data: ChartData, keys: readonly string[]): ChartData {
  const out: ChartData = { t: data.t };
  let below = data.t.map(() => 0);
  for (const key of keys) {
    const values = data[key] ?? [];
    below = below.map((b, i) => b + (values[i] ?? 0));
    out[key] = below;
  }
  return out;
}

/** uPlot options for stacked bars or lines over time, with the app's theme and no built-in legend. */
export function chartOptions(
  kind: 'stacked' | 'lines',
  series: readonly ChartSeries[],
  size: { width: number; height: number },
  format: (v: number) => string,
  onCursor: (index: number | null) => void,
): uPlot.Options {
  const muted = themeColor('--muted');
  const grid = themeColor('--border');
  const axis = {
    stroke: muted,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid },
    font: '11px system-ui',
  };
  const drawn = kind === 'stacked' ? [...series].reverse() : [...series];
  return {
    ...size,
    legend: { show: false },
    cursor: { y: false, points: { show: kind === 'lines' } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [axis, { ...axis, size: 48, values: (_u, ticks) => ticks.map(format) }],
    series: [
      {},
      ...drawn.map((s): uPlot.Series => {
        const color = themeColor(s.color);
        return kind === 'stacked'
          ? {
              label: s.label,
              stroke: color,
              width: 1,
              fill: (u) => fillPattern(u.ctx, s.pattern, color),
              paths: uPlot.paths.bars!({ size: [0.75, 48], gap: 1 }),
              points: { show: false },
            }
          : { label: s.label, stroke: color, width: 2, dash: s.dash, points: { size: 5 } };
      }),
    ],
    hooks: { setCursor: [(u) => onCursor(u.cursor.idx ?? null)] },
  };
}

/** The data in the order `chartOptions` draws the series. */
export function chartData(
  kind: 'stacked' | 'lines',
  series: readonly ChartSeries[],
  data: ChartData,
): uPlot.AlignedData {
  const keys = series.map((s) => s.key);
  const values = kind === 'stacked' ? stack(data, keys) : data;
  const drawn = kind === 'stacked' ? [...keys].reverse() : keys;
  return [data.t, ...drawn.map((k) => values[k] ?? data.t.map(() => null))] as uPlot.AlignedData;
}
