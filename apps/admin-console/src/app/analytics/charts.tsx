import type { ReactNode } from 'react';
import { bucketLabel } from './analytics-format';
import { countTicks, labelStep } from './chart-scale';

/**
 * The dashboard's Chart.js charts redrawn as inline SVG: a line chart, vertical bars (stacked or
 * grouped) and horizontal bars. Each SVG is one `role="img"` with a summary for screen readers;
 * the figures themselves are in a table next to it, so the drawing carries no text a reader needs.
 */

export interface Series {
  key: string;
  label: string;
  /** Line or outline colour (≥ 3:1 on white). */
  color: string;
  /** A lighter fill for bars; `color` when absent. */
  fill?: string;
  values: readonly number[];
}

/** viewBox units are about CSS pixels at a card's width; a full-width card passes a wider `width`. */
const WIDTH = 560;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 22, bottom: 26, left: 44 };
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const plotWidth = (width: number) => width - MARGIN.left - MARGIN.right;
/** About one x label per 46 units of width keeps "31 Dec" labels apart. */
const xLabelRoom = (width: number) => Math.floor(plotWidth(width) / 46);

function Frame({ label, width, height = HEIGHT, children }: { label: string; width: number; height?: number; children: ReactNode }) {
  return (
    <svg
      className="analytics-svg"
      style={{ maxWidth: width * 1.25 }}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMidYMid meet"
    >
      {children}
    </svg>
  );
}

/** Horizontal grid lines with their values on the left, from 0 to the scale's top. */
function YGrid({ ticks, y, width }: { ticks: number[]; y: (value: number) => number; width: number }) {
  return (
    <g className="analytics-gridlines">
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
          <text x={MARGIN.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
            {tick}
          </text>
        </g>
      ))}
    </g>
  );
}

function XLabels({ buckets, x, width }: { buckets: readonly string[]; x: (index: number) => number; width: number }) {
  const step = labelStep(buckets.length, xLabelRoom(width));
  return (
    <g className="analytics-axis">
      {buckets.map((bucket, i) =>
        i % step === 0 ? (
          <text key={bucket} x={x(i)} y={HEIGHT - 8} textAnchor="middle">
            {bucketLabel(bucket)}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** Colour key in HTML, so it wraps and is read as text. */
export function Legend({ series }: { series: readonly Pick<Series, 'key' | 'label' | 'color' | 'fill'>[] }) {
  return (
    <ul className="analytics-legend">
      {series.map((s) => (
        <li key={s.key}>
          <span className="analytics-swatch" style={{ background: s.fill ?? s.color, borderColor: s.color }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

export function LineChart({
  buckets,
  series,
  label,
  width = WIDTH,
}: {
  buckets: readonly string[];
  series: readonly Series[];
  label: string;
  width?: number;
}) {
  const { top, ticks } = countTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const plot = plotWidth(width);
  const x = (i: number) => MARGIN.left + (buckets.length <= 1 ? plot / 2 : (i * plot) / (buckets.length - 1));
  const y = (value: number) => MARGIN.top + PLOT_H - (value / top) * PLOT_H;
  // Dots help on a few buckets and become noise on a year of days.
  const dots = buckets.length <= 62;
  return (
    <Frame label={label} width={width}>
      <YGrid ticks={ticks} y={y} width={width} />
      <XLabels buckets={buckets} x={x} width={width} />
      {series.map((s) => (
        <g key={s.key} className="analytics-line" stroke={s.color} fill={s.color}>
          <polyline fill="none" strokeWidth={2} points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
          {dots &&
            s.values.map((v, i) => (
              <circle key={buckets[i]} cx={x(i)} cy={y(v)} r={3}>
                <title>{`${buckets[i]}: ${v} ${s.label.toLowerCase()}`}</title>
              </circle>
            ))}
        </g>
      ))}
    </Frame>
  );
}

/** Vertical bars per bucket: the series stacked in one bar, or side by side. */
export function BarChart({
  buckets,
  series,
  label,
  stacked = false,
  width = WIDTH,
}: {
  buckets: readonly string[];
  series: readonly Series[];
  label: string;
  stacked?: boolean;
  width?: number;
}) {
  const totals = buckets.map((_, i) =>
    stacked ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const { top, ticks } = countTicks(Math.max(0, ...totals));
  const band = plotWidth(width) / Math.max(1, buckets.length);
  const barWidth = band * 0.75;
  const x = (i: number) => MARGIN.left + band * i + band / 2;
  const y = (value: number) => MARGIN.top + PLOT_H - (value / top) * PLOT_H;
  const slot = stacked ? barWidth : barWidth / Math.max(1, series.length);
  return (
    <Frame label={label} width={width}>
      <YGrid ticks={ticks} y={y} width={width} />
      <XLabels buckets={buckets} x={x} width={width} />
      {buckets.map((bucket, i) => {
        let base = 0;
        return (
          <g key={bucket} className="analytics-bars">
            {series.map((s, k) => {
              const value = s.values[i] ?? 0;
              const left = stacked ? x(i) - barWidth / 2 : x(i) - barWidth / 2 + k * slot;
              const y0 = y(stacked ? base : 0);
              const y1 = y((stacked ? base : 0) + value);
              if (stacked) base += value;
              if (value === 0) return null;
              return (
                <rect
                  key={s.key}
                  x={left}
                  width={slot}
                  y={y1}
                  height={y0 - y1}
                  fill={s.fill ?? s.color}
                  stroke={s.fill ? s.color : '#ffffff'}
                >
                  <title>{`${bucket}: ${value} ${s.label.toLowerCase()}`}</title>
                </rect>
              );
            })}
          </g>
        );
      })}
      <line className="analytics-baseline" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(0)} y2={y(0)} />
    </Frame>
  );
}

export interface HBar {
  key: string;
  label: string;
  value: number;
  color: string;
  fill?: string;
}

const H_ROW = 28;
const H_LEFT = 230;

/** One horizontal bar per category (long names fit on the left), scaled to `max`. */
export function HBarChart({
  rows,
  max,
  label,
  format = String,
}: {
  rows: readonly HBar[];
  /** The axis' end; the largest value rounded up when absent. */
  max?: number;
  label: string;
  format?: (value: number) => string;
}) {
  const top = max ?? countTicks(Math.max(0, ...rows.map((r) => r.value))).top;
  const height = MARGIN.top + rows.length * H_ROW + 8;
  const plot = WIDTH - H_LEFT - 70;
  const x = (value: number) => H_LEFT + (Math.min(value, top) / top) * plot;
  return (
    <Frame label={label} width={WIDTH} height={height}>
      <line className="analytics-baseline" x1={H_LEFT} x2={H_LEFT} y1={MARGIN.top - 4} y2={height - 4} />
      {rows.map((row, i) => {
        const y = MARGIN.top + i * H_ROW;
        return (
          <g key={row.key} className="analytics-hbar">
            <text className="analytics-axis-text" x={H_LEFT - 8} y={y + H_ROW / 2 - 2} textAnchor="end" dominantBaseline="middle">
              {row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label}
            </text>
            <rect
              x={H_LEFT}
              y={y + 3}
              width={Math.max(0, x(row.value) - H_LEFT)}
              height={H_ROW - 10}
              fill={row.fill ?? row.color}
              stroke={row.color}
            >
              <title>{`${row.label}: ${format(row.value)}`}</title>
            </rect>
            <text className="analytics-axis-text" x={x(row.value) + 6} y={y + H_ROW / 2 - 2} dominantBaseline="middle">
              {format(row.value)}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

export interface TableRow {
  key: string;
  head: string;
  cells: readonly (string | number)[];
}

/** The numbers behind a chart; a keyboard-scrollable region when it is wider than the page. */
export function DataTable({
  caption,
  columns,
  rows,
  foot,
}: {
  caption: string;
  columns: readonly string[];
  rows: readonly TableRow[];
  foot?: TableRow;
}) {
  const line = (row: TableRow, Cell: 'td' = 'td') => (
    <tr key={row.key} data-key={row.key}>
      <th scope="row">{row.head}</th>
      {row.cells.map((cell, i) => (
        <Cell key={columns[i + 1] ?? i}>{cell}</Cell>
      ))}
    </tr>
  );
  return (
    <div className="analytics-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="analytics-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows.map((row) => line(row))}</tbody>
        {foot && <tfoot>{line(foot)}</tfoot>}
      </table>
    </div>
  );
}

/** A chart's table behind "Show table" (closed by default, as the chart says it all for sighted readers). */
export function TableDetails(props: Parameters<typeof DataTable>[0]) {
  return (
    <details className="analytics-details">
      <summary>Show table</summary>
      <DataTable {...props} />
    </details>
  );
}
