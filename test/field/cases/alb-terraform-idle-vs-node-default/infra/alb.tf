resource "aws_lb" "frontend" {
  name               = "shortener-frontend"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.public_subnet_ids
  idle_timeout       = 100
}

resource "aws_lb_target_group" "app" {
  name        = "shortener-app"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path = "/api/healthz"
  }
}
