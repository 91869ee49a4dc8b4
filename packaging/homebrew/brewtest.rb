# frozen_string_literal: true

# Runs a generated formula the way `brew install` and `brew test` would,
# on a machine without Homebrew (CI runs Debian): picks the url for this
# machine's OS and CPU, checks the archive's name and sha256 against it,
# unpacks it, runs the formula's install block into a scratch prefix with
# Homebrew's directory layout, then its test block. Only the part of
# Homebrew's formula DSL that our formulae use is here; anything else fails.
#
#   ruby packaging/homebrew/brewtest.rb Formula/NAME.rb DIST
#
# DIST holds the archives the formula's urls name.

require "digest"
require "fileutils"
require "json"
require "minitest"
require "open3"
require "pathname"
require "tmpdir"

HOST_OS = RUBY_PLATFORM.include?("darwin") ? :macos : :linux
HOST_CPU = RUBY_PLATFORM.match?(/arm64|aarch64/) ? :arm : :intel

# Homebrew's OS checks, for caveats that differ between macOS and Linux.
module OS
  def self.mac? = HOST_OS == :macos
  def self.linux? = HOST_OS == :linux
end

# Homebrew's Pathname#install: move files or directories into this one,
# optionally renamed ("src" => "dst").
class Pathname
  def install(*sources)
    mkpath
    sources.each do |source|
      pairs = source.is_a?(Hash) ? source : { source => File.basename(source) }
      pairs.each do |src, dst|
        raise "install: #{src} does not exist" unless File.exist?(src)

        FileUtils.mv(src, join(dst))
      end
    end
  end
end

class Formula
  include Minitest::Assertions
  attr_accessor :assertions

  class << self
    attr_reader :test_block, :downloads, :version_string

    def desc(text) = (@desc = text)
    def homepage(url) = (@homepage = url)
    def license(spdx) = (@license = spdx)
    def version(text) = (@version_string = text)

    def on_macos(&) = (yield if HOST_OS == :macos)
    def on_linux(&) = (yield if HOST_OS == :linux)
    def on_arm(&) = (yield if HOST_CPU == :arm)
    def on_intel(&) = (yield if HOST_CPU == :intel)

    def url(url)
      (@downloads ||= []) << { url: url }
    end

    def sha256(sum)
      raise "sha256 before url" if @downloads.nil? || @downloads.last.key?(:sha256)

      @downloads.last[:sha256] = sum
    end

    def test(&block) = (@test_block = block)

    def inherited(subclass)
      super
      @last = subclass
    end

    attr_reader :last
  end

  attr_reader :name, :prefix, :testpath

  def initialize(name, prefix, testpath)
    @name = name
    @prefix = Pathname(prefix)
    @testpath = Pathname(testpath)
    @assertions = 0
  end

  def bin = prefix/"bin"
  def man1 = prefix/"share/man/man1"
  def doc = prefix/"share/doc"/name
  def bash_completion = prefix/"etc/bash_completion.d"
  def zsh_completion = prefix/"share/zsh/site-functions"
  def fish_completion = prefix/"share/fish/vendor_completions.d"
  def share = prefix/"share"
  def pkgshare = share/name
  def opt_pkgshare = HOMEBREW_PREFIX/"opt"/name/"share"/name
  def version = self.class.version_string

  # Homebrew's: stdout of a shell command, whose exit status must be result.
  def shell_output(cmd, result = 0)
    out, status = Open3.capture2("/bin/sh", "-c", cmd)
    assert_equal result, status.exitstatus, "#{cmd}: exit status"
    out
  end

  # Homebrew's: stdout of a shell command fed input.
  def pipe_output(cmd, input = nil, result = nil)
    out, status = Open3.capture2("/bin/sh", "-c", cmd, stdin_data: input.to_s)
    assert_equal result, status.exitstatus, "#{cmd}: exit status" unless result.nil?
    out
  end
end

HOMEBREW_PREFIX = Pathname("/opt/homebrew")

formula_file, dist = ARGV
abort "usage: brewtest.rb FORMULA.rb DIST" if dist.nil?
name = File.basename(formula_file, ".rb")
load File.expand_path(formula_file)
klass = Formula.last

downloads = klass.downloads || []
abort "#{formula_file}: #{downloads.size} urls for #{HOST_OS}/#{HOST_CPU}, want 1" if downloads.size != 1
download = downloads.first
archive = File.join(dist, File.basename(download[:url]))
abort "#{formula_file}: no #{archive}" unless File.file?(archive)
sum = Digest::SHA256.file(archive).hexdigest
abort "#{archive}: sha256 #{sum}, the formula says #{download[:sha256]}" if sum != download[:sha256]

Dir.mktmpdir("brewtest") do |tmp|
  build = File.join(tmp, "build")
  prefix = File.join(tmp, "Cellar", name, klass.version_string)
  testpath = File.join(tmp, "test")
  [build, testpath].each { |d| FileUtils.mkdir_p(d) }
  system("tar", "-xzf", File.expand_path(archive), "-C", build, exception: true)
  formula = klass.new(name, prefix, testpath)

  # brew install: in the unpacked archive, run install, then move the
  # licence and readme files into the prefix as Homebrew does.
  Dir.chdir(build) do
    formula.install
    Dir.glob("{LICENSE,README}*").each { |f| formula.prefix.install(f) }
  end
  leftovers = Dir.glob("**/*", base: build).reject { |f| File.directory?(File.join(build, f)) }
  abort "#{formula_file}: install left #{leftovers.join(", ")} behind" unless leftovers.empty?

  # brew prints the caveats after installing: they must run, and say something.
  if formula.respond_to?(:caveats)
    caveats = formula.caveats
    abort "#{formula_file}: caveats gave #{caveats.inspect}" unless caveats.is_a?(String) && !caveats.strip.empty?
    puts "==> Caveats", caveats
  end

  # brew test: in an empty directory that is also HOME.
  Dir.chdir(testpath) do
    ENV["HOME"] = testpath
    formula.instance_eval(&klass.test_block)
  end
  puts "brewtest: #{name} #{klass.version_string} installed and tested (#{formula.assertions} assertions)"
end
