package dev.shmipc.basic;
public final class Demo { public static void main(String[] a) throws Exception { System.out.println("hello " + String.join(",", a) + " cp=" + System.getProperty("java.class.path")); int c = System.in.read(); System.out.println("read " + c); } }
