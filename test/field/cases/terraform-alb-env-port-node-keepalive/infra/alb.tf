resource "aws_lb" "portal" {
  name               = "${var.environment}-portal"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.portal_alb.id]
  subnets            = var.public_subnet_ids
}

resource "aws_lb_target_group" "portal" {
  name        = "${var.environment}-portal"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = var.vpc_id
  target_type = "ip"

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_listener" "portal_https" {
  load_balancer_arn = aws_lb.portal.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.portal.arn
  }
}
