def main() -> None:
    print("ikg")
