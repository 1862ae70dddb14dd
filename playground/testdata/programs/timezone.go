package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	for _, name := range []string{"America/New_York", "Europe/Paris", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.In(loc))
	}
	fmt.Println(time.Local)
}
