import { describe, expect, it } from 'vitest';
import { patternDefinitions } from './pattern-symbols.js';

const names = (language: string, source: string) =>
  patternDefinitions(language, source)!.map((d) => `${d.line}-${d.endLine} ${d.kind}:${d.name}`);

describe('pattern definitions', () => {
  it('reads Kotlin classes, functions, extensions and top-level values, each with the lines of its body', () => {
    const source = [
      'package okio', // 1
      '',
      '@JvmName("-deprecated")',
      'internal const val SEGMENT_SIZE = 8192',
      'val ByteString.size: Int get() = 0', // 5
      'expect sealed interface Source : Closeable {',
      '  fun read(sink: Buffer, byteCount: Long): Long',
      '}',
      'data class Options(',
      '  val byteStrings: List<ByteString>,', // 10
      ') : AbstractList<ByteString>() {',
      '  override fun get(index: Int): ByteString {',
      '    val local = byteStrings[index]',
      '    return local',
      '  }', // 15
      '  companion object {',
      '    fun of(vararg values: ByteString): Options = Options(values.toList())',
      '  }',
      '}',
      'internal inline fun <T> Buffer.seek(fromIndex: Long, lambda: (Segment?, Long) -> T): T {', // 20
      '  val text = """',
      '    fun notADefinition() {}',
      '  """',
      '  return lambda(null, 0L)',
      '}', // 25
      'fun interface Hasher { fun hash(b: ByteArray): ByteString }',
      'typealias Bytes = ByteArray',
    ].join('\n');
    expect(names('kotlin', source)).toEqual([
      '4-4 constant:SEGMENT_SIZE',
      '5-5 constant:size',
      '6-8 interface:Source',
      '7-7 function:read',
      '9-19 class:Options',
      '12-15 function:get',
      '17-17 function:of',
      '20-25 function:seek',
      // One definition a line: a one-line interface's member is not read.
      '26-26 interface:Hasher',
      '27-27 type:Bytes',
    ]);
  });

  it('reads Elixir modules and functions, not the examples in their docs', () => {
    const source = [
      'defmodule Phoenix.Endpoint.Supervisor do',
      '  @moduledoc """',
      '  defmodule MyApp.Endpoint do',
      '  end',
      '  """', // 5
      '  def start_link(otp_app, mod, opts \\\\ []) do',
      '    Supervisor.start_link(__MODULE__, {otp_app, mod, opts})',
      '  end',
      '  defp config(mod), do: mod.config()',
      '  defmacro valid?(x) do', // 10
      '    x',
      '  end',
      'end',
    ].join('\n');
    expect(names('elixir', source)).toEqual([
      '1-13 module:Supervisor',
      '6-8 function:start_link',
      '9-9 function:config',
      '10-12 function:valid?',
    ]);
  });

  it('reads Scala traits, case classes and defs', () => {
    const source = [
      'sealed trait Shape {',
      '  def area: Double',
      '}',
      'final case class Circle(r: Double) extends Shape {',
      '  def area = 3.14 * r * r',
      '}',
    ].join('\n');
    expect(names('scala', source)).toEqual([
      '1-3 class:Shape',
      '2-2 function:area',
      '4-6 class:Circle',
      '5-5 function:area',
    ]);
  });

  it('has nothing to say of a language it does not know', () => {
    expect(patternDefinitions('lua', 'function f() end')).toBeNull();
  });
});
