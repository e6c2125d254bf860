package io.caravan;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication
public class CaravanApplication { public static void main(String[] a){ SpringApplication.run(CaravanApplication.class, a);} }
