import { autoIndexEnabled, baseConfigSchema, loadConfig, port } from './load-config';

const schema = baseConfigSchema.extend({ PORT: port(3001) });

describe('loadConfig', () => {
  it('applies defaults for optional variables', () => {
    const config = loadConfig(schema, { MONGODB_URI: 'mongodb://localhost:27017/' });
    expect(config).toMatchObject({ PORT: 3001, MONGODB_DB: 'directory', NODE_ENV: 'development', LOG_LEVEL: 'info' });
  });

  it('names a missing variable in one line', () => {
    expect(() => loadConfig(schema, {})).toThrow(/^Invalid configuration: MONGODB_URI is required/);
  });

  it('names a malformed variable and why', () => {
    expect(() => loadConfig(schema, { MONGODB_URI: 'mongodb://x/', PORT: 'eighty' })).toThrow(/PORT must be a port number/);
    expect(() => loadConfig(schema, { MONGODB_URI: 'http://x/' })).toThrow(/MONGODB_URI must start with mongodb:\/\//);
    expect(() => loadConfig(schema, { MONGODB_URI: 'mongodb://x/', AUTO_INDEX: 'yes' })).toThrow(/AUTO_INDEX must be true or false/);
  });

  it('reports every problem, each message on the same single line', () => {
    try {
      loadConfig(schema, { PORT: '70000', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(/MONGODB_URI/);
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/LOG_LEVEL/);
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(schema, { MONGODB_URI: 'mongodb://x/', PORT: '' }).PORT).toBe(3001);
  });

  it('indexes build automatically outside production only, unless asked', () => {
    expect(autoIndexEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(autoIndexEnabled({ NODE_ENV: 'test' })).toBe(true);
    expect(autoIndexEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(autoIndexEnabled({ NODE_ENV: 'production', AUTO_INDEX: true })).toBe(true);
  });
});
