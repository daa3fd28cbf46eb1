import { COLORS, contrastRatio, countTicks, heatColors, labelStep, overWhite } from './chart-scale';

describe('chart scales', () => {
  it('picks whole-number ticks of 1, 2 or 5 × 10ⁿ that cover the maximum', () => {
    expect(countTicks(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countTicks(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countTicks(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countTicks(130)).toEqual({ top: 150, ticks: [0, 50, 100, 150] });
    expect(countTicks(1000)).toEqual({ top: 1000, ticks: [0, 500, 1000] });
    for (const max of [1, 9, 11, 99, 101, 4321]) {
      const { top, ticks } = countTicks(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it('thins x labels to the room there is', () => {
    expect(labelStep(7, 12)).toBe(1);
    expect(labelStep(28, 12)).toBe(3);
    expect(labelStep(366, 12)).toBe(31);
  });

  it('draws every series colour with at least 3:1 contrast on white', () => {
    for (const [name, color] of Object.entries(COLORS)) {
      if (name.startsWith('light')) continue;
      expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(3);
    }
  });

  it('computes WCAG contrast and tints over white', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(overWhite('#000000', 0.5)).toBe('#808080');
    expect(overWhite('#2563eb', 0)).toBe('#ffffff');
  });

  it('gives every retention share a text colour readable at WCAG AA', () => {
    for (let i = 0; i <= 100; i++) {
      const { background, color } = heatColors(i / 100);
      expect(contrastRatio(background, color)).toBeGreaterThanOrEqual(4.5);
    }
    expect(heatColors(0).color).toBe('#000000');
    expect(heatColors(1).color).toBe('#ffffff');
    expect(heatColors(2)).toEqual(heatColors(1));
  });
});
